using System;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Tests.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Space;

/// <summary>Input resolution as an elastic dimension: configs, spaces, graphs, the predictor's encoding, the manifest, the search.</summary>
public class ElasticResolutionTests
{
    private static SupernetSpec Spec(params int[] resolutions)
    {
        var input = new InputSpec(64, 64, 3, new[] { 0.5f, 0.5f, 0.5f }, new[] { 0.25f, 0.25f, 0.25f });
        var spec = DefaultSupernets.For(Family.CompOfa, input, 4);
        return spec with { Space = spec.Space.WithResolutions(resolutions) };
    }

    [Fact]
    public void ConfigText_CarriesTheResolution_AndRoundTrips()
    {
        var plain = DefaultSupernets.FashionMnist(Family.CompOfa).Space.Largest(5);
        Assert.Null(plain.Resolution);
        Assert.DoesNotContain("@", plain.ToString());
        var at48 = plain.WithResolution(48);
        Assert.EndsWith("@48", at48.ToString());
        Assert.Equal(at48, SubnetConfig.Parse(at48.ToString()));
        Assert.Equal(48, SubnetConfig.Parse(at48.ToString()).Resolution);
        Assert.Equal(plain, at48.Architecture);
        Assert.False(SubnetConfig.TryParse(plain + "@x", out _, out var error));
        Assert.Contains("not a resolution", error);
    }

    [Fact]
    public void Space_CountsEnumeratesAndChecksResolutions()
    {
        var spec = Spec(48, 56, 64);
        var space = spec.Space;
        Assert.True(space.IsResolutionElastic);
        Assert.Equal(243 * 3, space.Count(5));
        var all = space.Enumerate(5).ToList();
        Assert.Equal(729, all.Count);
        Assert.Equal(729, all.Distinct().Count());
        Assert.Equal(new int?[] { 48, 56, 64 }, all.Select(c => c.Resolution).Distinct());
        Assert.Equal(64, space.Largest(5).Resolution);
        Assert.Equal(48, space.Smallest(5).Resolution);
        Assert.Equal(56, space.Middle(5).Resolution);
        Assert.False(space.Contains(space.Largest(5).WithResolution(40), out var why));
        Assert.Contains("allowed: 48, 56, 64", why);
        Assert.False(space.Contains(space.Largest(5).Architecture, out _));
        // A single resolution is no elastic dimension at all: configs carry none, counts and texts are as before.
        Assert.False(spec.Space.WithResolutions(new[] { 64 }).IsResolutionElastic);
        Assert.Equal(243, spec.Space.WithResolutions(null).Count(5));
    }

    [Fact]
    public void Graph_RunsAtTheConfigsResolution_AndCostsFollow()
    {
        var spec = Spec(48, 64);
        var small = GraphBuilder.Build(spec, spec.Space.Largest(5).WithResolution(48));
        var large = GraphBuilder.Build(spec, spec.Space.Largest(5));
        Assert.Equal(new TensorShape(48, 48, 3), small.InputShape);
        Assert.Equal(new TensorShape(64, 64, 3), large.InputShape);
        Assert.True(CostModel.Measure(small).Macs < CostModel.Measure(large).Macs);
        // Non-square inputs scale both sides by the shorter one's resolution.
        var wide = Spec(48) with { Input = new InputSpec(64, 96, 3, new[] { 0f, 0f, 0f }, new[] { 1f, 1f, 1f }) };
        wide = wide with { Space = wide.Space.WithResolutions(new[] { 48, 64 }) };
        Assert.Equal((48, 72), wide.InputSize(wide.Space.Smallest(5)));
    }

    [Fact]
    public void PredictorEncoding_HasAOneHotOfTheResolution()
    {
        var spec = Spec(48, 56, 64);
        int plain = ArchitectureEncoding.Length(spec with { Space = spec.Space.WithResolutions(null) });
        Assert.Equal(plain + 3, ArchitectureEncoding.Length(spec));
        var encoded = ArchitectureEncoding.Encode(spec, spec.Space.Middle(5));
        Assert.Equal(new[] { 0f, 1f, 0f }, encoded.Skip(plain).ToArray());
    }

    [Fact]
    public void Manifest_WritesVersion2WithResolutions_AndVersion1WithoutThem()
    {
        var elastic = new SupernetManifest("SubnetGen.Supernet.Test.CompOFA", "1.0.0", false, Spec(48, 64), new[] { "a", "b", "c", "d" },
            new Provenance(Tool: "test"), MeasuredAccuracy.NotMeasured);
        string json = System.Text.Encoding.UTF8.GetString(elastic.ToJson());
        Assert.Contains("\"formatVersion\": 2", json);
        Assert.Contains("\"resolutions\"", json);
        Assert.Equal(new[] { 48, 64 }, SupernetManifest.Parse(elastic.ToJson(), "supernet.json").Spec.Space.Resolutions);

        var fixedSize = elastic with { Spec = Spec(64) };
        string plain = System.Text.Encoding.UTF8.GetString(fixedSize.ToJson());
        Assert.Contains("\"formatVersion\": 1", plain);
        Assert.DoesNotContain("resolutions", plain);

        // A resolution above the training size is refused.
        var bigger = Spec(48, 64) with { Space = Spec(48, 64).Space.WithResolutions(new[] { 48, 72 }) };
        Assert.Throws<ArgumentException>(() => bigger.Validate());
    }

    [Fact]
    public void EvolutionarySearch_PicksResolutionAndArchitectureTogether()
    {
        var spec = Spec(48, 56, 64) with { Space = DesignSpace.Ofa().WithResolutions(new[] { 48, 56, 64 }) };
        var predictor = new SyntheticPredictor(spec, 3);
        var budget = Budget.Unconstrained with { MaxMacs = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Largest(5).WithResolution(48))).Macs };
        var result = SubnetSearch.Run(spec, predictor, budget, null, SearchOptions.Default);
        Assert.NotNull(result.Config.Resolution);
        Assert.Contains(result.Config.Resolution!.Value, new[] { 48, 56, 64 });
        Assert.True(result.Cost.Macs <= budget.MaxMacs);
    }
}
