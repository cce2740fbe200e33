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
    public Candidate(SubnetConfig config, SubnetCost cost, LatencyEstimate? latency, IReadOnlyList<BudgetViolation> violations, bool filtered = false)
    {
        Config = config;
        Cost = cost;
        Latency = latency;
        Violations = violations;
        Filtered = filtered;
        foreach (var v in violations) TotalViolation += v.Relative;
    }

    public SubnetConfig Config { get; }
    public SubnetCost Cost { get; }
    public LatencyEstimate? Latency { get; }
    public IReadOnlyList<BudgetViolation> Violations { get; }
    /// <summary>Rejected by the caller's <see cref="CostFilter"/> (which has no limit to be over by, so it adds nothing to <see cref="TotalViolation"/>).</summary>
    public bool Filtered { get; }
    /// <summary>Sum of relative violations of the budgets: 0 when it meets them all. "Closest" = smallest.</summary>
    public double TotalViolation { get; }
    public bool Feasible => Violations.Count == 0 && !Filtered;
    public double? Accuracy { get; set; }
}
