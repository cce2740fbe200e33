using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Search;

/// <summary>A caller's <see cref="CostFilter"/> (here MOOFA's analytical memory) is a budget like the others: never picked, never predicted.</summary>
public class CostFilterTests
{
    private static readonly SupernetSpec CompOfa = DefaultSupernets.FashionMnist(Family.CompOfa);
    private static readonly SupernetSpec Ofa = DefaultSupernets.FashionMnist(Family.Ofa);

    private static CostFilter AtMostElements(long elements) =>
        new($"MOOFA peak memory ≤ {elements} elements", cost => cost.MoofaPeakElements <= elements);

    private static SubnetCost CostOf(SupernetSpec spec, SubnetConfig config) => CostModel.Measure(GraphBuilder.Build(spec, config));

    [Fact]
    public void ExhaustiveSearchPicksTheBestConfigTheFilterAdmitsAndPredictsNoOther()
    {
        var all = CompOfa.Space.Enumerate(CompOfa.Stages.Count).Select(c => (Config: c, Cost: CostOf(CompOfa, c))).ToList();
        long median = all.Select(r => r.Cost.MoofaPeakElements).OrderBy(e => e).ElementAt(all.Count / 2);
        var filter = AtMostElements(median);
        var scores = new SyntheticPredictor(CompOfa, seed: 3);
        var asked = new List<SubnetConfig>();
        var predictor = new FunctionPredictor(c => { asked.Add(c); return scores.Predict(c); });

        var result = SubnetSearch.Run(CompOfa, predictor, Budget.Unconstrained, null, SearchOptions.Default, filter);

        var admitted = all.Where(r => r.Cost.MoofaPeakElements <= median).ToList();
        var expected = admitted.OrderByDescending(r => scores.Predict(r.Config)).ThenBy(r => r.Cost.Macs)
            .ThenBy(r => r.Config.ToString(), StringComparer.Ordinal).First();
        Assert.Equal(expected.Config, result.Config);
        Assert.True(admitted.Count < all.Count, "the median should reject some configs");
        Assert.All(asked, c => Assert.True(CostOf(CompOfa, c).MoofaPeakElements <= median, c + " was predicted"));
        Assert.All(result.ParetoByPeakMemory, p => Assert.True(CostOf(CompOfa, p.Config).MoofaPeakElements <= median));
    }

    [Fact]
    public void EvolutionarySearchOnlyKeepsConfigsTheFilterAdmits()
    {
        var smallest = CostOf(Ofa, Ofa.Space.Smallest(Ofa.Stages.Count)).MoofaPeakElements;
        var filter = AtMostElements(smallest + 10_000);
        var predictor = new SyntheticPredictor(Ofa, 11);
        var quick = SearchOptions.Default with { Generations = 40 };

        var result = SubnetSearch.Run(Ofa, predictor, Budget.Unconstrained, null, quick, filter);

        Assert.Equal(SearchMethod.Evolutionary, result.Method);
        Assert.True(result.Cost.MoofaPeakElements <= smallest + 10_000);
        Assert.All(result.ParetoByMacs, p => Assert.True(CostOf(Ofa, p.Config).MoofaPeakElements <= smallest + 10_000));
        Assert.Equal(result.Config, SubnetSearch.Run(Ofa, predictor, Budget.Unconstrained, null, quick, filter).Config);
    }

    [Fact]
    public void A_filter_nothing_passes_is_SNG3001_naming_the_filter()
    {
        var filter = AtMostElements(1000);

        foreach (var spec in new[] { CompOfa, Ofa })
        {
            var e = Assert.Throws<SubnetGenException>(() =>
                SubnetSearch.Run(spec, new SyntheticPredictor(spec, 1), new Budget(MaxMacs: 50_000_000), null, SearchOptions.Default with { Generations = 5 }, filter));
            Assert.Equal(DiagnosticCodes.NoSubnetFitsBudget, e.Diagnostic.Code);
            Assert.Contains("meets every budget and MOOFA peak memory ≤ 1000 elements", e.Diagnostic.Message, StringComparison.Ordinal);
            Assert.Contains("which breaks MOOFA peak memory ≤ 1000 elements.", e.Diagnostic.Message, StringComparison.Ordinal);
            Assert.StartsWith("Loosen MOOFA peak memory ≤ 1000 elements", e.Diagnostic.Fix, StringComparison.Ordinal);
        }
    }
}
