using System;
using System.IO;
using System.Linq;
using System.Threading;
using SubnetGen.Cli.Commands;
using SubnetGen.Cli.Profiling;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.Pipeline;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// `subnetgen profile` on this machine: the device latency table it writes covers every layer of every subnet
/// of a CompOFA space, loads back, and drives a latency-bounded search from measured layers only.
/// </summary>
public sealed class ProfileCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-profile-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private string Bundle(Family family)
    {
        string bundle = Path.Combine(_folder, family.ToString());
        RandomSupernet.Create(DefaultSupernets.FashionMnist(family), "SubnetGen.Supernet.Test." + family, "0.1.0", 42, MakeTestSupernetCommand.FashionMnistLabels).Save(bundle);
        return bundle;
    }

    [Fact]
    public void WholeModelScale_IsFittedToSameRoundPairs_SoASlowPhaseDoesNotMoveIt()
    {
        // Three subnets whose whole models take 1.1× their layers; the machine runs round 2 at 1.6× and round 4 at 0.8×.
        double[] layerSums = [150, 320, 510];
        double[] phase = [1.0, 1.6, 1.0, 0.8, 1.0];
        var pairs = phase.SelectMany(f => layerSums.Select(l => (Whole: 1.1 * l * f, Layers: l * f))).ToList();
        Assert.Equal(1.1, WholeModelTimer.Scale(pairs), 4);
        // Pairs from different phases (whole models slow, layers not) would have given another scale.
        var unpaired = pairs.Select((p, i) => (p.Whole, Layers: layerSums[i % layerSums.Length])).ToList();
        Assert.NotEqual(1.1, WholeModelTimer.Scale(unpaired), 2);
    }

    [Fact]
    public void Table_MeasuresEveryLayerOfEveryCompOfaSubnet_AndDrivesALatencyBoundedSearch()
    {
        string bundle = Bundle(Family.CompOfa);
        string tablePath = Path.Combine(_folder, "devices", "this-machine.json");
        var output = new StringWriter();
        var log = new StringWriter();

        int exit = ProfileCommand.Run(new ProfileCommand.Request(bundle, "test machine", tablePath, Iterations: 3, Samples: 0), output, log);

        Assert.True(exit == 0, log.ToString());
        var table = DeviceLatencyTable.Load(tablePath);
        Assert.Equal("test machine", table.Device);
        Assert.Equal(3, table.Measurement.Iterations);
        Assert.Equal(1, table.Measurement.Threads);
        Assert.StartsWith("subnetgen profile ", table.Measurement.Tool);
        Assert.All(table.EntriesMicroseconds.Values, us => Assert.True(us > 0 && !double.IsInfinity(us), $"latency {us} µs"));
        Assert.Contains("->", File.ReadAllText(tablePath)); // keys readable, not \u003E-escaped
        // Whole generated models were timed against their layers' sum: every estimate is that sum times the scale.
        var whole = table.WholeModel!;
        Assert.Equal(WholeModelTimer.Configs(SupernetBundle.Load(bundle).Spec, seed: 42).Count, whole.Subnets);
        Assert.True(whole.Subnets >= 4, $"{whole.Subnets} distinct subnets timed");
        // Positive and finite; its value is a property of the machine (random untrained weights, 3 iterations here).
        Assert.True(whole.Scale > 0 && double.IsFinite(whole.Scale), $"scale {whole.Scale}");
        Assert.Contains("Whole models take", log.ToString());

        var loaded = SupernetBundle.Load(bundle);
        var spec = loaded.Spec;
        var model = new LatencyModel(table);
        var largestGraph = GraphBuilder.Build(spec, spec.Space.Largest(spec.Stages.Count));
        Assert.Equal(new LatencyModel(table.WithWholeModel(null)).Estimate(largestGraph).Milliseconds * whole.Scale, model.Estimate(largestGraph).Milliseconds, 9);
        var configs = spec.Space.Enumerate(spec.Stages.Count).ToList();
        Assert.Equal(243, configs.Count);
        foreach (var config in configs)
        {
            var estimate = model.Estimate(GraphBuilder.Build(spec, config));
            Assert.False(estimate.IsEstimate, $"{config}: {estimate.EstimatedLayers} layer(s) missing from the table");
        }
        Assert.Contains($"{table.EntriesMicroseconds.Count} layer shapes measured", output.ToString());

        // A budget between the smallest and the largest subnet's measured latency: the search keeps within it.
        double smallest = model.Estimate(GraphBuilder.Build(spec, spec.Space.Smallest(spec.Stages.Count))).Milliseconds;
        double largest = model.Estimate(GraphBuilder.Build(spec, spec.Space.Largest(spec.Stages.Count))).Milliseconds;
        Assert.True(smallest < largest, $"smallest {smallest} ms, largest {largest} ms");
        double budget = (smallest + largest) / 2;
        var predictor = loaded.Predictor.CreatePredictor(spec);
        var result = SubnetSearch.Run(spec, predictor, new Budget(MaxLatencyMs: budget), model, SearchOptions.Default);
        Assert.NotNull(result.LatencyMs);
        Assert.True(result.LatencyMs <= budget, $"chosen {result.Config}: {result.LatencyMs} ms > {budget} ms");
        Assert.False(result.LatencyIsEstimate);
    }

    [Fact]
    public void OfaSubnets_AreTheReferenceOnesPlusSeededSamples()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var a = DeviceProfiler.Configs(spec, samples: 20, seed: 42);
        var b = DeviceProfiler.Configs(spec, samples: 20, seed: 42);
        Assert.Equal(23, a.Count);
        Assert.Equal(a, b);
        foreach (string name in ReferenceSubnets.Names) Assert.Contains(ReferenceSubnets.ByName(spec, name)!, a);
        Assert.NotEqual(a, DeviceProfiler.Configs(spec, samples: 20, seed: 43));
        var keys = DeviceProfiler.Keys(spec, a).Select(k => k.ToString()).ToList();
        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), keys);
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EachShape_KeepsItsFastestRound_SoASpellOfLoadDoesNotFixItsEntry()
    {
        // The first run is slow in its first round only (as if another process took the core); the second never is.
        int calls = 0;
        void SlowAtFirst() { if (calls++ < 9) Thread.Sleep(5); }
        void Fast() { }
        int reported = 0, total = 0;
        var medians = DeviceProfiler.FastestMedians(new Action[] { SlowAtFirst, Fast }, iterations: 9, (done, all) => { reported = done; total = all; });

        Assert.True(medians[0] < 2000, $"the slow first round (≥ 5,000 µs a call) set the entry: {medians[0]:F1} µs");
        Assert.True(medians.All(m => m >= 0 && m < double.MaxValue));
        Assert.Equal(2 * DeviceProfiler.Rounds, total);
        Assert.Equal(total, reported);
    }

    [Theory]
    [InlineData(0, 10, "test", "--iterations must be at least 1")]
    [InlineData(5, -1, "test", "--samples must be 0 or more")]
    [InlineData(5, 10, " ", "--device must name the device")]
    public void BadArguments_AreRefused_WithoutWritingATable(int iterations, int samples, string device, string message)
    {
        string tablePath = Path.Combine(_folder, "t.json");
        var log = new StringWriter();
        int exit = ProfileCommand.Run(new ProfileCommand.Request(Bundle(Family.CompOfa), device, tablePath, iterations, samples), new StringWriter(), log);
        Assert.Equal(1, exit);
        Assert.Contains(message, log.ToString());
        Assert.False(File.Exists(tablePath));
    }

    [Fact]
    public void AFolderWithoutABundle_IsSng4001()
    {
        var error = Assert.Throws<SubnetGenException>(() => ProfileCommand.Run(
            new ProfileCommand.Request(_folder, "test", Path.Combine(_folder, "t.json"), 5, 10), new StringWriter(), new StringWriter()));
        Assert.Equal(DiagnosticCodes.FormatFileMissing, error.Diagnostic.Code);
    }
}
