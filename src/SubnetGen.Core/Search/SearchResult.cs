using System.Collections.Generic;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>A feasible subnet on a Pareto front: no other feasible subnet seen is cheaper and at least as accurate.</summary>
/// <remarks>An accuracy interval, once the predictor gives one, joins as optional members after <see cref="LatencyMs"/>.</remarks>
public sealed record ParetoPoint(SubnetConfig Config, double PredictedAccuracy, long Macs, long PeakMemoryBytes, long WeightBytes, double? LatencyMs);

/// <summary>
/// What the search picked and how. <see cref="LatencyMs"/> is null when no latency model was given and no
/// latency budget asked for one. The fronts are over every feasible config the search evaluated
/// (all of them when exhaustive), ordered by ascending cost; <see cref="ParetoByLatency"/> is empty when no latency
/// was estimated.
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
    IReadOnlyList<ParetoPoint> ParetoByLatency);
