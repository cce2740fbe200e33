using System;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Search;

/// <summary><c>"minimize"</c>: the cheapest subnet by a cost whose predicted accuracy reaches <c>minAccuracy</c>.</summary>
public class MinimizeObjectiveTests
{
    private static readonly SupernetSpec CompOfa = DefaultSupernets.FashionMnist(Family.CompOfa);
    private static readonly SupernetSpec Ofa = DefaultSupernets.FashionMnist(Family.Ofa);

    private sealed record Row(SubnetConfig Config, SubnetCost Cost, LatencyEstimate Latency, double Accuracy);

    private static Row[] Rows(IAccuracyPredictor predictor) => CompOfa.Space.Enumerate(CompOfa.Stages.Count)
        .Select(c =>
        {
            var graph = GraphBuilder.Build(CompOfa, c);
            return new Row(c, CostModel.Measure(graph), LatencyModel.Default.Estimate(graph), predictor.Predict(c));
        })
        .ToArray();

    [Theory]
    [InlineData("macs", 0.5)]
    [InlineData("peakMemory", 0.5)]
    [InlineData("weights", 0.7)]
    [InlineData("latency", 0.3)]
    [InlineData("parameters", 0.9)]
    public void Exhaustive_ReturnsTheBruteForceCheapestConfigReachingTheFloor(string objective, double quantile)
    {
        var key = BudgetKey.ByObjective(objective)!;
        var predictor = new SyntheticPredictor(CompOfa, seed: 3);
        var rows = Rows(predictor);
        // A floor some but not all configs reach.
        var sorted = rows.Select(r => r.Accuracy).OrderBy(a => a).ToArray();
        double floor = sorted[(int)(quantile * (sorted.Length - 1))];
        var budget = new Budget(MaxWeightBytes: 4L * 1024 * 1024, MinAccuracy: floor, Minimize: key);

        var result = SubnetSearch.Run(CompOfa, predictor, budget, null, SearchOptions.Default);

        var expected = rows.Where(r => r.Cost.WeightBytes <= budget.MaxWeightBytes && r.Accuracy >= floor)
            .OrderBy(r => key.ValueOf(r.Cost, r.Latency))
            .ThenByDescending(r => r.Accuracy)
            .ThenBy(r => r.Cost.Macs)
            .ThenBy(r => r.Config.ToString(), StringComparer.Ordinal)
            .First();
        Assert.Equal(expected.Config, result.Config);
        Assert.True(result.PredictedAccuracy >= floor);
        // The plain search picks the most accurate, which costs at least as much.
        var mostAccurate = SubnetSearch.Run(CompOfa, predictor, budget with { Minimize = null }, null, SearchOptions.Default);
        double Value(SubnetConfig config) { var row = rows.Single(r => r.Config.Equals(config)); return key.ValueOf(row.Cost, row.Latency)!.Value; }
        Assert.True(Value(result.Config) <= Value(mostAccurate.Config));
        if (key == BudgetKey.MaxLatencyMs) Assert.True(result.LatencyIsEstimate && result.LatencyMs is not null);
    }

    [Fact]
    public void FloorNothingReaches_IsSng3002_AsWithoutTheObjective()
    {
        var predictor = new SyntheticPredictor(CompOfa, seed: 3);
        double best = Rows(predictor).Max(r => r.Accuracy);
        var e = Assert.Throws<SubnetGenException>(() => SubnetSearch.Run(CompOfa, predictor,
            new Budget(MinAccuracy: best + 0.001, Minimize: BudgetKey.MaxMacs), null, SearchOptions.Default));
        Assert.Equal(DiagnosticCodes.AccuracyBelowMinimum, e.Diagnostic.Code);
    }

    [Fact]
    public void Evolutionary_ReachesTheFloor_AndCostsLessThanTheMostAccuratePick()
    {
        var predictor = new SyntheticPredictor(Ofa, 11);
        var plain = SubnetSearch.Run(Ofa, predictor, new Budget(MaxMacs: 12_000_000), null, SearchOptions.Default);
        // A floor well below the best the plain search found: many cheaper configs reach it.
        var largest = predictor.Predict(Ofa.Space.Largest(Ofa.Stages.Count));
        var smallest = predictor.Predict(Ofa.Space.Smallest(Ofa.Stages.Count));
        double floor = smallest + 0.5 * (largest - smallest);
        var budget = new Budget(MaxMacs: 12_000_000, MinAccuracy: floor, Minimize: BudgetKey.MaxMacs);

        var result = SubnetSearch.Run(Ofa, predictor, budget, null, SearchOptions.Default);

        Assert.Equal(SearchMethod.Evolutionary, result.Method);
        Assert.True(result.PredictedAccuracy >= floor, $"{result.PredictedAccuracy} < {floor}");
        Assert.True(result.Cost.Macs < plain.Cost.Macs, $"{result.Cost.Macs} MACs, the most accurate pick {plain.Cost.Macs}");
        Assert.Equal(result.Config, SubnetSearch.Run(Ofa, predictor, budget, null, SearchOptions.Default).Config);
    }
}
