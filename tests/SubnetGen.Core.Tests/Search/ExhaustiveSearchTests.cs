using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Search;

public class ExhaustiveSearchTests
{
    private static readonly SupernetSpec CompOfa = DefaultSupernets.FashionMnist(Family.CompOfa);

    private sealed record Row(SubnetConfig Config, SubnetCost Cost, double LatencyMs);

    // Every CompOFA config with its cost, computed independently of the search.
    private static readonly Lazy<List<Row>> All = new(() => CompOfa.Space.Enumerate(CompOfa.Stages.Count)
        .Select(c =>
        {
            var graph = GraphBuilder.Build(CompOfa, c);
            return new Row(c, CostModel.Measure(graph), LatencyModel.Default.Estimate(graph).Milliseconds);
        })
        .ToList());

    private static bool Fits(Row r, Budget b) =>
        (b.MaxMacs is null || r.Cost.Macs <= b.MaxMacs) && (b.MaxPeakMemoryBytes is null || r.Cost.PeakMemoryBytes <= b.MaxPeakMemoryBytes)
        && (b.MaxWeightBytes is null || r.Cost.WeightBytes <= b.MaxWeightBytes) && (b.MaxParameters is null || r.Cost.Parameters <= b.MaxParameters)
        && (b.MaxLatencyMs is null || r.LatencyMs <= b.MaxLatencyMs);

    public static IEnumerable<object[]> Budgets() => new[]
    {
        new object[] { null!, null!, null!, null! },
        new object[] { 8_000_000L, null!, null!, null! },
        new object[] { null!, 240L * 1024, null!, null! },
        new object[] { 9_000_000L, 260L * 1024, 3_000_000L, null! },
        new object[] { null!, null!, null!, 700_000L },
    };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void ReturnsTheBruteForceArgmaxAndRespectsTheBudget(long? maxMacs, long? maxPeak, long? maxWeights, long? maxParams)
    {
        var budget = new Budget(MaxMacs: maxMacs, MaxPeakMemoryBytes: maxPeak, MaxWeightBytes: maxWeights, MaxParameters: maxParams);
        var predictor = new SyntheticPredictor(CompOfa, seed: 3);

        var result = SubnetSearch.Run(CompOfa, predictor, budget, null, SearchOptions.Default);

        var expected = All.Value.Where(r => Fits(r, budget))
            .OrderByDescending(r => predictor.Predict(r.Config))
            .ThenBy(r => r.Cost.Macs)
            .ThenBy(r => r.Config.ToString(), StringComparer.Ordinal)
            .First();
        Assert.Equal(SearchMethod.Exhaustive, result.Method);
        Assert.Equal(243, result.Evaluated);
        Assert.Equal(expected.Config, result.Config);
        Assert.Equal(predictor.Predict(expected.Config), result.PredictedAccuracy);
        Assert.Equal(expected.Cost.Macs, result.Cost.Macs);
        Assert.True(maxMacs is null || result.Cost.Macs <= maxMacs);
        Assert.True(maxPeak is null || result.Cost.PeakMemoryBytes <= maxPeak);
        Assert.True(maxWeights is null || result.Cost.WeightBytes <= maxWeights);
        Assert.True(maxParams is null || result.Cost.Parameters <= maxParams);
        Assert.Null(result.LatencyMs); // no latency model, no latency budget
    }

    [Fact]
    public void LatencyBudgetIsCheckedAgainstTheLatencyModel()
    {
        double median = All.Value.Select(r => r.LatencyMs).OrderBy(x => x).ElementAt(121);
        var budget = new Budget(MaxLatencyMs: median);
        var predictor = new SyntheticPredictor(CompOfa, seed: 5);

        var result = SubnetSearch.Run(CompOfa, predictor, budget, null, SearchOptions.Default);

        var expected = All.Value.Where(r => Fits(r, budget)).OrderByDescending(r => predictor.Predict(r.Config))
            .ThenBy(r => r.Cost.Macs).ThenBy(r => r.Config.ToString(), StringComparer.Ordinal).First();
        Assert.Equal(expected.Config, result.Config);
        Assert.NotNull(result.LatencyMs);
        Assert.True(result.LatencyMs <= median);
        Assert.True(result.LatencyIsEstimate);
    }

    [Fact]
    public void TiesBreakByFewerMacsThenOrdinalArchitecture()
    {
        // Accuracy depends only on the first stage's depth: 81 configs tie at the top.
        var predictor = new FunctionPredictor(c => c.Stages[0].Count == 4 ? 0.9 : 0.8);
        var result = SubnetSearch.Run(CompOfa, predictor, Budget.Unconstrained, null, SearchOptions.Default);
        var expected = All.Value.Where(r => r.Config.Stages[0].Count == 4).OrderBy(r => r.Cost.Macs).ThenBy(r => r.Config.ToString(), StringComparer.Ordinal).First();
        Assert.Equal(expected.Config, result.Config);

        // Everything ties on accuracy and, with a constant predictor, the cheapest subnet wins; equal MACs fall to the string.
        var flat = SubnetSearch.Run(CompOfa, new FunctionPredictor(_ => 0.5), Budget.Unconstrained, null, SearchOptions.Default);
        var cheapest = All.Value.OrderBy(r => r.Cost.Macs).ThenBy(r => r.Config.ToString(), StringComparer.Ordinal).First();
        Assert.Equal(cheapest.Config, flat.Config);

        // Same inputs, same pick, every time.
        Assert.Equal(result.Config, SubnetSearch.Run(CompOfa, predictor, Budget.Unconstrained, null, SearchOptions.Default).Config);
    }

    [Fact]
    public void NothingFitsNamesTheClosestConfigAndTheBrokenConstraint()
    {
        // 100 KB of arena is below every subnet's need; MACs are generous.
        var budget = new Budget(MaxPeakMemoryBytes: 100 * 1024, MaxMacs: 50_000_000);

        var e = Assert.Throws<SubnetGenException>(() =>
            SubnetSearch.Run(CompOfa, new SyntheticPredictor(CompOfa, 1), budget, null, SearchOptions.Default));

        var closest = All.Value.OrderBy(r => r.Cost.PeakMemoryBytes / (100.0 * 1024) - 1).ThenBy(r => r.Cost.Macs)
            .ThenBy(r => r.Config.ToString(), StringComparer.Ordinal).First();
        Assert.Equal(DiagnosticCodes.NoSubnetFitsBudget, e.Diagnostic.Code);
        Assert.Contains("Closest: " + closest.Config, e.Diagnostic.Message);
        Assert.Contains("maxPeakMemoryKB", e.Diagnostic.Message);
        Assert.Contains("> budget 100 KB", e.Diagnostic.Message);
        Assert.DoesNotContain("maxMacs", e.Diagnostic.Message);
        double needKb = Math.Ceiling(closest.Cost.PeakMemoryBytes / 1024.0);
        Assert.Contains($"Raise maxPeakMemoryKB to at least {needKb:0}", e.Diagnostic.Fix);
    }

    [Fact]
    public void ClosestConfigUsesTheSmallestNormalisedViolationAcrossConstraints()
    {
        // Both budgets are broken by everything; the closest minimises the sum of relative overshoots.
        long macs = All.Value.Min(r => r.Cost.Macs) / 2, weights = All.Value.Min(r => r.Cost.WeightBytes) / 2;
        var budget = new Budget(MaxMacs: macs, MaxWeightBytes: weights);

        var e = Assert.Throws<SubnetGenException>(() =>
            SubnetSearch.Run(CompOfa, new SyntheticPredictor(CompOfa, 1), budget, null, SearchOptions.Default));

        var closest = All.Value.OrderBy(r => (double)r.Cost.Macs / macs - 1 + (double)r.Cost.WeightBytes / weights - 1)
            .ThenBy(r => r.Cost.Macs).ThenBy(r => r.Config.ToString(), StringComparer.Ordinal).First();
        Assert.Contains("Closest: " + closest.Config + ",", e.Diagnostic.Message);
        Assert.Contains("maxMacs", e.Diagnostic.Message);
        Assert.Contains("maxWeightsKB", e.Diagnostic.Message);
    }

    [Fact]
    public void MinAccuracyAboveTheBestIsItsOwnError()
    {
        var predictor = new SyntheticPredictor(CompOfa, 2);
        var best = SubnetSearch.Run(CompOfa, predictor, Budget.Unconstrained, null, SearchOptions.Default);

        var e = Assert.Throws<SubnetGenException>(() =>
            SubnetSearch.Run(CompOfa, predictor, new Budget(MinAccuracy: best.PredictedAccuracy + 0.01), null, SearchOptions.Default));

        Assert.Equal(DiagnosticCodes.AccuracyBelowMinimum, e.Diagnostic.Code);
        Assert.Contains(best.Config.ToString(), e.Diagnostic.Message);
        Assert.Equal(best.Config, SubnetSearch.Run(CompOfa, predictor, new Budget(MinAccuracy: best.PredictedAccuracy), null, SearchOptions.Default).Config);
    }

    [Fact]
    public void ParetoFrontsCoverEveryFeasibleConfig()
    {
        var predictor = new SyntheticPredictor(CompOfa, 4);
        var budget = new Budget(MaxMacs: 10_000_000);
        var result = SubnetSearch.Run(CompOfa, predictor, budget, LatencyModel.Default, SearchOptions.Default);
        var feasible = All.Value.Where(r => Fits(r, budget)).ToList();

        foreach (var (front, cost, pointCost) in new (IReadOnlyList<ParetoPoint>, Func<Row, double>, Func<ParetoPoint, double>)[]
                 {
                     (result.ParetoByMacs, r => r.Cost.Macs, p => p.Macs),
                     (result.ParetoByPeakMemory, r => r.Cost.PeakMemoryBytes, p => p.PeakMemoryBytes),
                     (result.ParetoByWeights, r => r.Cost.WeightBytes, p => p.WeightBytes),
                     (result.ParetoByLatency, r => r.LatencyMs, p => p.LatencyMs!.Value),
                 })
        {
            Assert.NotEmpty(front);
            for (int i = 1; i < front.Count; i++)
            {
                Assert.True(front[i].PredictedAccuracy > front[i - 1].PredictedAccuracy);
                Assert.True(pointCost(front[i]) >= pointCost(front[i - 1]));
            }
            // No feasible config beats a front point on both axes, and every one is matched by a point no more costly.
            foreach (var r in feasible)
            {
                double acc = predictor.Predict(r.Config);
                Assert.Contains(front, p => p.PredictedAccuracy >= acc && pointCost(p) <= cost(r));
            }
            Assert.Equal(result.PredictedAccuracy, front[front.Count - 1].PredictedAccuracy);
            // Every point carries all of its costs, whichever front it is on.
            Assert.All(front, p =>
            {
                var row = All.Value.Single(r => r.Config.Equals(p.Config));
                Assert.Equal((row.Cost.Macs, row.Cost.PeakMemoryBytes, row.Cost.WeightBytes), (p.Macs, p.PeakMemoryBytes, p.WeightBytes));
                Assert.Equal(row.LatencyMs, p.LatencyMs);
            });
        }
    }

    [Fact]
    public void NoLatencyFrontWithoutALatencyEstimate()
    {
        var result = SubnetSearch.Run(CompOfa, new SyntheticPredictor(CompOfa, 4), new Budget(MaxMacs: 10_000_000), null, SearchOptions.Default);
        Assert.Null(result.LatencyMs);
        Assert.Empty(result.ParetoByLatency);
        Assert.NotEmpty(result.ParetoByWeights);
    }

    [Fact]
    public void TablePredictorDrivesTheSearch()
    {
        var synthetic = new SyntheticPredictor(CompOfa, 9);
        var table = new TablePredictor(All.Value.ToDictionary(r => r.Config.ToString(), r => synthetic.Predict(r.Config)));
        var viaTable = SubnetSearch.Run(CompOfa, table, new Budget(MaxMacs: 7_000_000), null, SearchOptions.Default);
        var viaFunction = SubnetSearch.Run(CompOfa, synthetic, new Budget(MaxMacs: 7_000_000), null, SearchOptions.Default);
        Assert.Equal(viaFunction.Config, viaTable.Config);
    }

    [Fact]
    public void OutOfRangeOptionsAreRefused()
    {
        var e = Assert.Throws<SubnetGenException>(() => SubnetSearch.Run(CompOfa, new FunctionPredictor(_ => 0.5), Budget.Unconstrained, null,
            SearchOptions.Default with { ParentRatio = 0.8, MutationRatio = 0.5 }));
        Assert.Equal(DiagnosticCodes.InvalidSearchOptions, e.Diagnostic.Code);
    }
}
