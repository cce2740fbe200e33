using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Cost;

namespace SubnetGen.Core.Search;

/// <summary>What a budget key bounds: one of a subnet's costs, or its predicted accuracy.</summary>
public enum BudgetMeasure
{
    Latency,
    PeakMemory,
    Weights,
    Macs,
    Parameters,
    Accuracy,
}

/// <summary>
/// The budget keys of a constraints.json target, as one table: the key, the unit it is written in, what it bounds, and how
/// the measure's own unit scales to the key's (KB keys: 1024 bytes; <see cref="Budget"/> and <see cref="SubnetCost"/> hold
/// bytes). The constraints reader, the feasibility check, SNG3001's message, the build summary and the Pareto report all
/// read the keys from here.
/// </summary>
public sealed class BudgetKey
{
    /// <summary>What KB means everywhere SubnetGen speaks it (constraints.json, messages, reports): 1024 bytes.</summary>
    public const double BytesPerKilobyte = 1024;

    public static readonly BudgetKey MaxLatencyMs = new("maxLatencyMs", "ms", BudgetMeasure.Latency, "latency", 1, "latency");
    public static readonly BudgetKey MaxPeakMemoryKB = new("maxPeakMemoryKB", "KB", BudgetMeasure.PeakMemory, "peak memory", BytesPerKilobyte, "peakMemory");
    public static readonly BudgetKey MaxWeightsKB = new("maxWeightsKB", "KB", BudgetMeasure.Weights, "weights", BytesPerKilobyte, "weights");
    public static readonly BudgetKey MaxMacs = new("maxMacs", "MACs", BudgetMeasure.Macs, "MACs", 1, "macs");
    public static readonly BudgetKey MaxParameters = new("maxParameters", "parameters", BudgetMeasure.Parameters, "parameters", 1, "parameters");
    public static readonly BudgetKey MinAccuracy = new("minAccuracy", "fraction", BudgetMeasure.Accuracy, "accuracy", 1, null);

    /// <summary>Every budget key, in the order docs/constraints.md lists them and reports show them.</summary>
    public static readonly IReadOnlyList<BudgetKey> All = new[] { MaxLatencyMs, MaxPeakMemoryKB, MaxWeightsKB, MaxMacs, MaxParameters, MinAccuracy };

    /// <summary>The keys that bound a cost, which decide whether a subnet is feasible (<see cref="MinAccuracy"/> is checked on the pick).</summary>
    public static readonly IReadOnlyList<BudgetKey> CostKeys = All.Where(k => k.BoundsCost).ToArray();

    /// <summary>The cost key whose <see cref="ObjectiveName"/> is <paramref name="name"/> (ordinal), or null.</summary>
    public static BudgetKey? ByObjective(string name) => CostKeys.FirstOrDefault(k => k.ObjectiveName == name);

    private BudgetKey(string name, string unit, BudgetMeasure measure, string bounds, double scale, string? objectiveName)
    {
        ObjectiveName = objectiveName;
        Name = name;
        Unit = unit;
        Measure = measure;
        Bounds = bounds;
        Scale = scale;
    }

    /// <summary>How a target's <c>"minimize"</c> names this cost (<c>"peakMemory"</c>); null for accuracy.</summary>
    public string? ObjectiveName { get; }

    /// <summary>The constraints.json key, e.g. <c>maxPeakMemoryKB</c>.</summary>
    public string Name { get; }

    /// <summary>The unit the key is written in and messages quote it in: ms, KB, MACs, parameters, fraction.</summary>
    public string Unit { get; }

    public BudgetMeasure Measure { get; }

    /// <summary>What it bounds, in the words of the reports: "peak memory".</summary>
    public string Bounds { get; }

    /// <summary>Measure units per key unit: bytes per KB for the KB keys, 1 for the others.</summary>
    public double Scale { get; }

    /// <summary>A lower bound (accuracy) rather than an upper one.</summary>
    public bool IsMinimum => Measure == BudgetMeasure.Accuracy;

    public bool BoundsCost => Measure != BudgetMeasure.Accuracy;

    /// <summary>The target's limit in the measure's unit (bytes, ms, counts, fraction); null when the target leaves it unconstrained.</summary>
    public double? Limit(Budget budget) => Measure switch
    {
        BudgetMeasure.Latency => budget.MaxLatencyMs,
        BudgetMeasure.PeakMemory => budget.MaxPeakMemoryBytes,
        BudgetMeasure.Weights => budget.MaxWeightBytes,
        BudgetMeasure.Macs => budget.MaxMacs,
        BudgetMeasure.Parameters => budget.MaxParameters,
        BudgetMeasure.Accuracy => budget.MinAccuracy,
    };

    /// <summary>A subnet's value of the measure in its own unit; null for accuracy (not a cost) and for latency when none was estimated.</summary>
    public double? ValueOf(SubnetCost cost, LatencyEstimate? latency) => Measure switch
    {
        BudgetMeasure.Latency => latency?.Milliseconds,
        BudgetMeasure.PeakMemory => cost.PeakMemoryBytes,
        BudgetMeasure.Weights => cost.WeightBytes,
        BudgetMeasure.Macs => cost.Macs,
        BudgetMeasure.Parameters => cost.Parameters,
        BudgetMeasure.Accuracy => null,
    };

    /// <summary>A value of the measure in the key's unit (bytes → KB).</summary>
    public double InKeyUnit(double measure) => measure / Scale;

    /// <summary>A value written in the key's unit in the measure's (KB → bytes).</summary>
    public double FromKeyUnit(double value) => value * Scale;

    public override string ToString() => Name;
}
