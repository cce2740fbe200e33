using System.Linq;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Search;

namespace SubnetGen.Core.Tests.Search;

/// <summary>The one table of budget keys agrees with constraints.json's keys, reads the right fields, and scales KB once.</summary>
public class BudgetKeyTests
{
    [Fact]
    public void The_budget_keys_are_the_target_keys_but_the_latency_table_and_the_objective_in_the_same_order()
    {
        var targetKeys = ConstraintKeys.Target.Keys.Select(k => k.Name).Where(n => n is not (ConstraintKeys.LatencyTable or ConstraintKeys.Minimize));
        Assert.Equal(BudgetKey.All.Select(k => k.Name), targetKeys);
    }

    [Fact]
    public void Every_cost_key_has_an_objective_name_and_accuracy_has_none()
    {
        Assert.Equal(new[] { "latency", "peakMemory", "weights", "macs", "parameters" }, BudgetKey.CostKeys.Select(k => k.ObjectiveName));
        Assert.All(BudgetKey.CostKeys, k => Assert.Same(k, BudgetKey.ByObjective(k.ObjectiveName!)));
        Assert.Null(BudgetKey.MinAccuracy.ObjectiveName);
        Assert.Null(BudgetKey.ByObjective("accuracy"));
        Assert.Null(BudgetKey.ByObjective("MACs"));
    }

    [Fact]
    public void Each_key_reads_its_own_budget_field_and_cost()
    {
        var budget = new Budget(MaxLatencyMs: 1.5, MaxPeakMemoryBytes: 2, MaxWeightBytes: 3, MaxMacs: 4, MaxParameters: 5, MinAccuracy: 0.6);
        Assert.Equal(new double?[] { 1.5, 2, 3, 4, 5, 0.6 }, BudgetKey.All.Select(k => k.Limit(budget)));
        Assert.All(BudgetKey.All, k => Assert.Null(k.Limit(Budget.Unconstrained)));

        var cost = new SubnetCost(Macs: 40, Parameters: 50, WeightBytes: 30, PeakMemoryBytes: 20, MoofaPeakElements: 99, Arena: new ArenaPlan(System.Array.Empty<int>(), 0));
        Assert.Equal(new double?[] { 10, 20, 30, 40, 50, null }, BudgetKey.All.Select(k => k.ValueOf(cost, new LatencyEstimate(10, true, 0, 1))));
        Assert.Null(BudgetKey.MaxLatencyMs.ValueOf(cost, null));
    }

    [Fact]
    public void Only_the_KB_keys_scale_and_by_1024()
    {
        // docs/constraints.md: "maxPeakMemoryKB": 1.5 allows 1536 bytes.
        Assert.Equal(1536, BudgetKey.MaxPeakMemoryKB.FromKeyUnit(1.5));
        Assert.Equal(2, BudgetKey.MaxWeightsKB.InKeyUnit(2048));
        Assert.Equal(new[] { BudgetKey.MaxPeakMemoryKB, BudgetKey.MaxWeightsKB }, BudgetKey.All.Where(k => k.Scale != 1));
        Assert.All(BudgetKey.All.Where(k => k.Scale != 1), k => Assert.Equal("KB", k.Unit));
    }

    [Fact]
    public void Accuracy_alone_is_a_minimum_and_bounds_no_cost()
    {
        Assert.Equal(new[] { BudgetKey.MinAccuracy }, BudgetKey.All.Where(k => k.IsMinimum));
        Assert.Equal(BudgetKey.All.Where(k => k != BudgetKey.MinAccuracy), BudgetKey.CostKeys);
    }
}
