using System.Collections.Generic;
using SubnetGen.Core.Cost;

namespace SubnetGen.Core.Search;

/// <summary>Which cost budgets a subnet breaks. <see cref="Budget.MinAccuracy"/> is not a cost: the search checks it on its pick.</summary>
internal static class BudgetCheck
{
    public static IReadOnlyList<BudgetViolation> Violations(Budget budget, SubnetCost cost, LatencyEstimate? latency)
    {
        List<BudgetViolation>? result = null;
        foreach (var key in BudgetKey.CostKeys)
        {
            if (key.Limit(budget) is double limit && key.ValueOf(cost, latency) is double value && value > limit)
                (result ??= new List<BudgetViolation>()).Add(new BudgetViolation(key, key.InKeyUnit(value), key.InKeyUnit(limit)));
        }
        return (IReadOnlyList<BudgetViolation>?)result ?? System.Array.Empty<BudgetViolation>();
    }
}
