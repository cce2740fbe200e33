using System;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Search;

public class EvolutionarySearchTests
{
    private static readonly SupernetSpec Ofa = DefaultSupernets.FashionMnist(Family.Ofa);
    private static readonly Budget Tight = new(MaxMacs: 9_000_000, MaxPeakMemoryBytes: 300 * 1024);

    private static bool Fits(SubnetCost c, Budget b) => c.Macs <= b.MaxMacs && c.PeakMemoryBytes <= b.MaxPeakMemoryBytes;

    [Fact]
    public void OfaSpaceIsSearchedByEvolutionAndTheResultFits()
    {
        var result = SubnetSearch.Run(Ofa, new SyntheticPredictor(Ofa, 11), Tight, null, SearchOptions.Default);

        Assert.Equal(SearchMethod.Evolutionary, result.Method);
        Assert.True(Ofa.Space.Contains(result.Config, out _));
        var cost = CostModel.Measure(GraphBuilder.Build(Ofa, result.Config));
        Assert.True(Fits(cost, Tight), $"{result.Config}: {cost.Macs} MACs, {cost.PeakMemoryBytes} bytes");
        Assert.Equal(cost.Macs, result.Cost.Macs);
        Assert.All(result.ParetoByMacs, p => Assert.True(p.Macs <= Tight.MaxMacs));
    }

    [Fact]
    public void SameSeedSameResultAndAtLeastAsGoodAsRandomSampling()
    {
        var predictor = new SyntheticPredictor(Ofa, 12);
        var quick = SearchOptions.Default with { Seed = 5, Generations = 40 };
        var a = SubnetSearch.Run(Ofa, predictor, Tight, null, quick);
        var b = SubnetSearch.Run(Ofa, predictor, Tight, null, quick);
        Assert.Equal(a.Config, b.Config);
        Assert.Equal(a.Evaluated, b.Evaluated);
        Assert.Equal(a.ParetoByMacs.Select(p => p.Config), b.ParetoByMacs.Select(p => p.Config));

        var full = SubnetSearch.Run(Ofa, predictor, Tight, null, SearchOptions.Default with { Seed = 5, Patience = 25 });
        Assert.True(full.PredictedAccuracy >= a.PredictedAccuracy);

        // 1000 random feasible configs, sampled independently of the search.
        var random = new Random(99);
        var choices = Enumerable.Range(0, Ofa.Stages.Count).Select(Ofa.Space.StageChoices).ToArray();
        double bestRandom = double.NegativeInfinity;
        for (int found = 0; found < 1000;)
        {
            var config = new SubnetConfig(choices.Select(c => c[random.Next(c.Count)]).ToArray());
            if (!Fits(CostModel.Measure(GraphBuilder.Build(Ofa, config)), Tight)) continue;
            found++;
            bestRandom = Math.Max(bestRandom, predictor.Predict(config));
        }
        Assert.True(full.PredictedAccuracy >= bestRandom, $"evolution {full.PredictedAccuracy} < random {bestRandom}");
    }

    [Fact]
    public void EvolutionFindsTheExhaustiveOptimumOfASmallSpace()
    {
        var compOfa = DefaultSupernets.FashionMnist(Family.CompOfa);
        var predictor = new SyntheticPredictor(compOfa, 13);
        var budget = new Budget(MaxMacs: 8_000_000);

        var exhaustive = SubnetSearch.Run(compOfa, predictor, budget, null, SearchOptions.Default);
        var evolved = SubnetSearch.Run(compOfa, predictor, budget, null, SearchOptions.Default with { Method = SearchMethod.Evolutionary });

        Assert.Equal(SearchMethod.Evolutionary, evolved.Method);
        Assert.Equal(exhaustive.Config, evolved.Config);
    }

    [Fact]
    public void NothingFitsInTheOfaSpaceNamesTheClosestConfig()
    {
        var smallest = Ofa.Space.Smallest(Ofa.Stages.Count);
        long smallestMacs = CostModel.Measure(GraphBuilder.Build(Ofa, smallest)).Macs;

        var e = Assert.Throws<SubnetGenException>(() =>
            SubnetSearch.Run(Ofa, new SyntheticPredictor(Ofa, 1), new Budget(MaxMacs: smallestMacs - 1), null, SearchOptions.Default));

        Assert.Equal(DiagnosticCodes.NoSubnetFitsBudget, e.Diagnostic.Code);
        Assert.Contains("Closest: " + smallest, e.Diagnostic.Message);
        Assert.Contains("maxMacs", e.Diagnostic.Fix);
    }

    [Fact]
    public void BudgetThatOnlyTheSmallestMeetsStillSucceeds()
    {
        var smallest = Ofa.Space.Smallest(Ofa.Stages.Count);
        long smallestMacs = CostModel.Measure(GraphBuilder.Build(Ofa, smallest)).Macs;

        var result = SubnetSearch.Run(Ofa, new SyntheticPredictor(Ofa, 1), new Budget(MaxMacs: smallestMacs), null, SearchOptions.Default);

        Assert.Equal(smallest, result.Config);
    }
}
