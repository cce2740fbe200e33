using System.Collections.Generic;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// A feasible subnet on a Pareto front: no other feasible subnet seen is cheaper and at least as accurate (by the
/// predictor, which the search maximises). <see cref="Promise"/> is its held-out accuracy when the supernet ships one.
/// </summary>
public sealed record ParetoPoint(SubnetConfig Config, double PredictedAccuracy, long Macs, long PeakMemoryBytes, long WeightBytes, double? LatencyMs,
    AccuracyPromise? Promise = null)
{
    /// <summary>What the build promises for this subnet: the held-out accuracy when there is one, else the predictor's value.</summary>
    public double PromisedAccuracy => Promise?.Accuracy ?? PredictedAccuracy;
}

/// <summary>
/// What the search picked and how. <see cref="LatencyMs"/> is null when no latency model was given and no
/// latency budget asked for one. The fronts are over every feasible config the search evaluated
/// (all of them when exhaustive), ordered by ascending cost; <see cref="ParetoByLatency"/> is empty when no latency
/// was estimated. <see cref="PredictedAccuracy"/> is the value the search maximised; <see cref="Promise"/>, set after the
/// search from the supernet's <c>promise.json</c>, is the pick's accuracy on images the selection never saw.
/// </summary>
public sealed record SearchResult(
    SubnetConfig Config,
    double PredictedAccuracy,
    SubnetCost Cost,
    double? LatencyMs,
    bool LatencyIsEstimate,
    long Evaluated,
    SearchMethod Method,
    IReadOnlyList<ParetoPoint> ParetoByMacs,
    IReadOnlyList<ParetoPoint> ParetoByPeakMemory,
    IReadOnlyList<ParetoPoint> ParetoByWeights,
    IReadOnlyList<ParetoPoint> ParetoByLatency,
    AccuracyPromise? Promise = null)
{
    /// <summary>What the build promises: the held-out accuracy when there is one, else the predictor's value.</summary>
    public double PromisedAccuracy => Promise?.Accuracy ?? PredictedAccuracy;
}
