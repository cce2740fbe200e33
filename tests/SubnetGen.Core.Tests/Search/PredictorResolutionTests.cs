using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Search;

/// <summary>
/// <see cref="SearchOptions.PredictorResolution"/>: among feasible configs predicted within the resolution of the best,
/// the search returns the one with the most MACs.
/// </summary>
public class PredictorResolutionTests
{
    private static readonly SupernetSpec CompOfa = DefaultSupernets.FashionMnist(Family.CompOfa);
    private static readonly SupernetSpec Ofa = DefaultSupernets.FashionMnist(Family.Ofa);

    private sealed record Row(SubnetConfig Config, SubnetCost Cost, double Accuracy);

    private static Row[] Rows(IAccuracyPredictor predictor) => CompOfa.Space.Enumerate(CompOfa.Stages.Count)
        .Select(c => new Row(c, CostModel.Measure(GraphBuilder.Build(CompOfa, c)), predictor.Predict(c)))
        .ToArray();

    public static IEnumerable<object?[]> Cases() => new[]
    {
        new object?[] { null, 0.002, null },
        new object?[] { null, 0.01, null },
        new object?[] { 8_000_000L, 0.005, null },
        new object?[] { 11_000_000L, 0.02, null },
        new object?[] { 11_000_000L, 0.02, 0.75 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exhaustive_ReturnsTheBruteForceMostMacsWithinTheResolution(long? maxMacs, double resolution, double? floorQuantile)
    {
        var predictor = new SyntheticPredictor(CompOfa, seed: 3);
        var rows = Rows(predictor);
        var fitting = rows.Where(r => maxMacs is null || r.Cost.Macs <= maxMacs).ToArray();
        double? minAccuracy = floorQuantile is double q ? fitting.Select(r => r.Accuracy).OrderBy(a => a).ElementAt((int)(q * (fitting.Length - 1))) : null;
        var budget = new Budget(MaxMacs: maxMacs, MinAccuracy: minAccuracy);

        var plain = SubnetSearch.Run(CompOfa, predictor, budget, null, SearchOptions.Default);
        var result = SubnetSearch.Run(CompOfa, predictor, budget, null, SearchOptions.Default with { PredictorResolution = resolution });

        double threshold = Math.Max(plain.PredictedAccuracy - resolution, minAccuracy ?? double.NegativeInfinity);
        var expected = fitting.Where(r => r.Accuracy >= threshold)
            .OrderByDescending(r => r.Cost.Macs)
            .ThenByDescending(r => r.Accuracy)
            .ThenBy(r => r.Config.ToString(), StringComparer.Ordinal)
            .First();
        Assert.Equal(expected.Config, result.Config);
        Assert.Equal(expected.Accuracy, result.PredictedAccuracy);
        Assert.True(result.Cost.Macs >= plain.Cost.Macs);
        Assert.True(result.PredictedAccuracy >= plain.PredictedAccuracy - resolution);
        // Where a budget binds, the plain pick is not the config with the most MACs, so the rule must move it.
        if (maxMacs == 11_000_000 && minAccuracy is null) Assert.NotEqual(plain.Config, result.Config);
    }

    [Fact]
    public void Evolutionary_ReturnsTheLargestSubnetWhenItIsWithinTheResolution_EvenIfEvolutionNeverVisitedIt()
    {
        var largest = Ofa.Space.Largest(Ofa.Stages.Count);
        // The largest predicts 0.4 points below a plateau the evolution climbs.
        var predictor = new FunctionPredictor(c => c.Equals(largest) ? 0.900 : 0.904);

        var plain = SubnetSearch.Run(Ofa, predictor, Budget.Unconstrained, null, SearchOptions.Default);
        var within = SubnetSearch.Run(Ofa, predictor, Budget.Unconstrained, null, SearchOptions.Default with { PredictorResolution = 0.005 });
        var narrower = SubnetSearch.Run(Ofa, predictor, Budget.Unconstrained, null, SearchOptions.Default with { PredictorResolution = 0.003 });

        Assert.NotEqual(largest, plain.Config);
        Assert.Equal(largest, within.Config);
        Assert.Equal(0.900, within.PredictedAccuracy);
        Assert.NotEqual(largest, narrower.Config);
        Assert.True(narrower.Cost.Macs >= plain.Cost.Macs);
        Assert.Equal(0.904, narrower.PredictedAccuracy);
    }

    [Fact]
    public void Evolutionary_StaysInsideTheBudget()
    {
        var budget = new Budget(MaxMacs: 7_000_000, MaxPeakMemoryBytes: 250 * 1024);
        var result = SubnetSearch.Run(Ofa, new SyntheticPredictor(Ofa, 11), budget, null, SearchOptions.Default with { PredictorResolution = 0.02 });
        Assert.True(result.Cost.Macs <= 7_000_000);
        Assert.True(result.Cost.PeakMemoryBytes <= 250 * 1024);
    }

    [Fact]
    public void AMinimizeObjectiveIgnoresIt_TheCheapestConfigReachingTheFloorIsWanted()
    {
        var predictor = new SyntheticPredictor(CompOfa, seed: 3);
        var budget = new Budget(MinAccuracy: Rows(predictor).Select(r => r.Accuracy).Average(), Minimize: BudgetKey.MaxMacs);
        var plain = SubnetSearch.Run(CompOfa, predictor, budget, null, SearchOptions.Default);
        var withResolution = SubnetSearch.Run(CompOfa, predictor, budget, null, SearchOptions.Default with { PredictorResolution = 0.05 });
        Assert.Equal(plain.Config, withResolution.Config);
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void OutOfRangeResolutionsAreRefused(double resolution)
    {
        var e = Assert.Throws<SubnetGenException>(() => SubnetSearch.Run(CompOfa, new FunctionPredictor(_ => 0.5), Budget.Unconstrained, null,
            SearchOptions.Default with { PredictorResolution = resolution }));
        Assert.Equal(DiagnosticCodes.InvalidSearchOptions, e.Diagnostic.Code);
    }

    [Fact]
    public void ABuildSearchesAFittedPredictorAtItsCrossValidatedRmse_AndATableAtItsMaximum()
    {
        var layer = new PredictorLayer(new float[1, ArchitectureEncoding.Length(Ofa)], new[] { 0.9f });
        Assert.Equal(0.0041, PredictorFile.Mlp(new[] { layer }, 1, 0, new PredictorValidation(0.0041, 0.57, 500, 5)).SearchOptions.PredictorResolution);
        Assert.Equal(0, PredictorFile.Mlp(new[] { layer }, 1, 0).SearchOptions.PredictorResolution);
        Assert.Equal(SearchOptions.Default, PredictorFile.Table(new Dictionary<string, double> { ["k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3"] = 0.9 }).SearchOptions);
    }
}
