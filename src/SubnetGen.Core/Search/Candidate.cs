using System.Collections.Generic;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>One budget a subnet breaks: the constraints.json key, the subnet's value and the limit, in the key's unit.</summary>
public sealed record BudgetViolation(BudgetKey Key, double Value, double Limit)
{
    /// <summary>How far over, relative to the limit: 0.5 = 50% over.</summary>
    public double Relative => Limit > 0 ? Value / Limit - 1 : double.PositiveInfinity;
}

/// <summary>A config with its costs and, once asked for, its predicted accuracy.</summary>
internal sealed class Candidate
{
    public Candidate(SubnetConfig config, SubnetCost cost, LatencyEstimate? latency, IReadOnlyList<BudgetViolation> violations)
    {
        Config = config;
        Cost = cost;
        Latency = latency;
        Violations = violations;
        foreach (var v in violations) TotalViolation += v.Relative;
    }

    public SubnetConfig Config { get; }
    public SubnetCost Cost { get; }
    public LatencyEstimate? Latency { get; }
    public IReadOnlyList<BudgetViolation> Violations { get; }
    /// <summary>Sum of relative violations: 0 when feasible. "Closest" = smallest.</summary>
    public double TotalViolation { get; }
    public bool Feasible => Violations.Count == 0;
    public double? Accuracy { get; set; }
}
