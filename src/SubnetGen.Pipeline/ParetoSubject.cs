using System;
using System.Collections.Generic;
using SubnetGen.Core.Search;

namespace SubnetGen.Pipeline;

/// <summary>
/// What the Pareto files (<c>.pareto.json</c>, <c>.pareto.html</c>) describe: one model's search for one target,
/// and the supernet it searched.
/// </summary>
/// <param name="Caveat">Why the predictions mean nothing (untrained supernet, placeholder predictor), or null.</param>
public sealed record ParetoSubject(
    string Model,
    string Target,
    Budget Budget,
    string SupernetId,
    string SupernetVersion,
    SearchResult Result,
    string? Caveat = null)
{
    /// <summary>
    /// Each front with the budget key of the cost it is over, in the order the files list them: MACs, peak memory,
    /// weights, latency (empty when no latency was estimated).
    /// </summary>
    public IReadOnlyList<(BudgetKey Cost, IReadOnlyList<ParetoPoint> Points)> Fronts => new[]
    {
        (BudgetKey.MaxMacs, Result.ParetoByMacs),
        (BudgetKey.MaxPeakMemoryKB, Result.ParetoByPeakMemory),
        (BudgetKey.MaxWeightsKB, Result.ParetoByWeights),
        (BudgetKey.MaxLatencyMs, Result.ParetoByLatency),
    };

    /// <summary>A point's value of the cost <paramref name="key"/> bounds, in the measure's unit (bytes, MACs, ms); null for latency when none was estimated.</summary>
    public static double? Cost(ParetoPoint point, BudgetKey key) => key.Measure switch
    {
        BudgetMeasure.Macs => point.Macs,
        BudgetMeasure.PeakMemory => point.PeakMemoryBytes,
        BudgetMeasure.Weights => point.WeightBytes,
        BudgetMeasure.Latency => point.LatencyMs,
        BudgetMeasure.Parameters or BudgetMeasure.Accuracy => throw new ArgumentException($"no front is kept by {key.Bounds}.", nameof(key)),
    };

    /// <summary>The pick as a point of the fronts, so it is written and drawn the way they are.</summary>
    public ParetoPoint Pick => new(Result.Config, Result.PredictedAccuracy, Result.Cost.Macs, Result.Cost.PeakMemoryBytes, Result.Cost.WeightBytes, Result.LatencyMs,
        Result.Promise);
}
