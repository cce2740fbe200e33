using System.Collections.Generic;
using SubnetGen.Core.Cost;

namespace SubnetGen.Core.Search;

/// <summary>Which cost budgets a subnet breaks. <see cref="Budget.MinAccuracy"/> is not a cost: the search checks it on its pick.</summary>
internal static class BudgetCheck
{
    public const double Kilo = 1024.0;

    public static IReadOnlyList<BudgetViolation> Violations(Budget budget, SubnetCost cost, LatencyEstimate? latency)
    {
        List<BudgetViolation>? result = null;
        void Add(BudgetViolation v) => (result ??= new List<BudgetViolation>()).Add(v);

        if (budget.MaxLatencyMs is double ms && latency is not null && latency.Milliseconds > ms)
            Add(new BudgetViolation("maxLatencyMs", latency.Milliseconds, ms, "ms"));
        if (budget.MaxPeakMemoryBytes is long peak && cost.PeakMemoryBytes > peak)
            Add(new BudgetViolation("maxPeakMemoryKB", cost.PeakMemoryBytes / Kilo, peak / Kilo, "KB"));
        if (budget.MaxWeightBytes is long weights && cost.WeightBytes > weights)
            Add(new BudgetViolation("maxWeightsKB", cost.WeightBytes / Kilo, weights / Kilo, "KB"));
        if (budget.MaxMacs is long macs && cost.Macs > macs)
            Add(new BudgetViolation("maxMacs", cost.Macs, macs, "MACs"));
        if (budget.MaxParameters is long parameters && cost.Parameters > parameters)
            Add(new BudgetViolation("maxParameters", cost.Parameters, parameters, "parameters"));
        return (IReadOnlyList<BudgetViolation>?)result ?? System.Array.Empty<BudgetViolation>();
    }
}
