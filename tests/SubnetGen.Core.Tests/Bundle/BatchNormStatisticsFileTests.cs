using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Bundle;

/// <summary><c>bnstats.safetensors</c>: layout, checks, the bundle carrying it, and extraction picking it up.</summary>
public sealed class BatchNormStatisticsFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sng-bnstats-" + Guid.NewGuid().ToString("N"));
    private static readonly string[] Labels = Enumerable.Range(0, 10).Select(i => "c" + i).ToArray();
    private static readonly SupernetSpec Spec = DefaultSupernets.FashionMnist(Family.CompOfa);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static SubnetConfig Smallest => Spec.Space.Smallest(Spec.Stages.Count);
    private static SubnetConfig Largest => Spec.Space.Largest(Spec.Stages.Count);

    /// <summary>Made-up statistics (not those of the supernet) for every BN <paramref name="config"/> uses.</summary>
    private static SortedDictionary<string, BatchNormStatistics> Statistics(SubnetConfig config, int seed)
    {
        var random = new Random(seed);
        var result = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
        foreach (var bn in SubnetExtractor.ActiveBatchNorms(Spec, config))
            result[bn.Name] = new BatchNormStatistics(
                Enumerable.Range(0, bn.Channels).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
                Enumerable.Range(0, bn.Channels).Select(_ => (float)(0.2 + random.NextDouble() * 2)).ToArray());
        return result;
    }

    private static BatchNormStatisticsFile File2(int calibrationImages = 300) => new(
        new Dictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>>
        {
            [Smallest.ToString()] = Statistics(Smallest, 1),
            [Largest.ToString()] = Statistics(Largest, 2),
        }, calibrationImages);

    private static SupernetBundle RandomBundle() => RandomSupernet.Create(Spec, "Test.Supernet", "0.1.0", 5, Labels);

    [Fact]
    public void ActiveBatchNorms_AreTheSubnetsConvLayers_WithActiveChannels()
    {
        var bns = SubnetExtractor.ActiveBatchNorms(Spec, Smallest);
        Assert.Equal(new ActiveBatchNorm("stem.bn", 16), bns[0]);
        Assert.Equal("first.dw.bn", bns[1].Name);
        Assert.Equal(new ActiveBatchNorm("head.final_expand.bn", Spec.Head.FinalExpandChannels), bns[bns.Count - 1]);
        // Depth 2 everywhere: expand, dw, project of two blocks in each of five stages.
        Assert.Equal(3 + 5 * 2 * 3 + 1, bns.Count);
        Assert.Contains(new ActiveBatchNorm("stages.0.blocks.0.expand.bn", Spec.MiddleChannels(0, 0, 3)), bns);
        Assert.DoesNotContain(bns, bn => bn.Name.StartsWith("stages.0.blocks.2.", StringComparison.Ordinal));
    }

    [Fact]
    public void RoundTrips_WithTheDocumentedNamesAndMetadata()
    {
        var file = File2();
        var bytes = file.ToBytes();
        var raw = Safetensors.Read(bytes, "bnstats.safetensors");
        Assert.Equal("1", raw.Metadata["formatVersion"]);
        Assert.Equal("300", raw.Metadata["calibrationImages"]);
        Assert.Equal(new[] { 16 }, raw.Tensors[Smallest + "/stem.bn.running_mean"].Shape);
        Assert.Contains(Largest + "/stages.4.blocks.3.project.bn.running_var", raw.Tensors.Keys);

        var read = BatchNormStatisticsFile.Parse(bytes, "bnstats.safetensors", Spec);
        Assert.Equal(300, read.CalibrationImages);
        Assert.Equal(file.Configs.Keys.OrderBy(k => k, StringComparer.Ordinal), read.Configs.Keys);
        foreach (var config in file.Configs)
            foreach (var bn in config.Value)
            {
                Assert.Equal(bn.Value.RunningMean, read.Configs[config.Key][bn.Key].RunningMean);
                Assert.Equal(bn.Value.RunningVar, read.Configs[config.Key][bn.Key].RunningVar);
            }
        Assert.Equal(bytes, read.ToBytes());
        Assert.NotNull(read.For(Smallest));
        Assert.Null(read.For(Spec.Space.Enumerate(Spec.Stages.Count).First(c => !c.Equals(Smallest) && !c.Equals(Largest))));
    }

    [Fact]
    public void Bundle_SavesAndLoadsItWhenPresent()
    {
        string folder = Path.Combine(_root, "bundle");
        var bundle = RandomBundle().WithBatchNormStatistics(File2());
        bundle.Save(folder);
        Assert.Equal(SupernetBundle.FileNames.Concat(SupernetBundle.OptionalFileNames).OrderBy(n => n, StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Single(Directory.GetDirectories(_root)); // no temporary folder left behind

        var loaded = SupernetBundle.Load(folder);
        Assert.NotNull(loaded.BatchNormStatistics);
        Assert.Equal(bundle.BatchNormStatistics!.ToBytes(), loaded.BatchNormStatistics!.ToBytes());

        // Saving without statistics replaces the folder, so none are left over.
        loaded.WithBatchNormStatistics(null).Save(folder);
        Assert.False(File.Exists(Path.Combine(folder, BatchNormStatisticsFile.FileName)));
        Assert.Null(SupernetBundle.Load(folder).BatchNormStatistics);
    }

    [Theory]
    [InlineData("2")]
    [InlineData(null)]
    public void UnknownOrMissingVersion_IsRefused(string? version)
    {
        var raw = Safetensors.Read(File2().ToBytes(), "bnstats.safetensors");
        var metadata = new Dictionary<string, string> { ["calibrationImages"] = "300" };
        if (version is not null) metadata["formatVersion"] = version;
        var e = Assert.Throws<SubnetGenException>(() =>
            BatchNormStatisticsFile.Parse(Safetensors.ToBytes(raw.Tensors, metadata), "bnstats.safetensors", Spec));
        Assert.Equal(DiagnosticCodes.UnsupportedFormatVersion, e.Diagnostic.Code);
        Assert.Contains(version ?? "(missing)", e.Diagnostic.Message);
        Assert.Equal("bnstats.safetensors", e.Diagnostic.File);
    }

    [Fact]
    public void WrongLength_IsRefused()
    {
        var statistics = Statistics(Smallest, 3);
        statistics["stages.1.blocks.0.dw.bn"] = statistics["stages.1.blocks.0.dw.bn"] with { RunningVar = new float[5] };
        var e = Assert.Throws<SubnetGenException>(() => Parse(Smallest.ToString(), statistics));
        Assert.Equal(DiagnosticCodes.BatchNormStatisticsFileInvalid, e.Diagnostic.Code);
        Assert.Contains("stages.1.blocks.0.dw.bn.running_var has 5 values", e.Diagnostic.Message);
    }

    [Fact]
    public void UnknownOrMissingNames_AreRefused()
    {
        // A BN of a block the smallest subnet does not use.
        var extra = Statistics(Smallest, 4);
        extra["stages.0.blocks.3.expand.bn"] = extra["stages.0.blocks.1.expand.bn"];
        Assert.Contains("not a BN this subnet uses", Refused(() => Parse(Smallest.ToString(), extra)));

        var missing = Statistics(Smallest, 5);
        missing.Remove("head.final_expand.bn");
        Assert.Contains("no statistics for head.final_expand.bn", Refused(() => Parse(Smallest.ToString(), missing)));

        // A config outside the CompOFA space (kernel 7 where the family fixes 3), and one not in canonical form.
        string outside = "k7e3,k7e3" + Smallest.ToString().Substring(Smallest.ToString().IndexOf('|'));
        Assert.Contains("not in the CompOfa design space", Refused(() => Parse(outside, Statistics(Smallest, 6))));
        Assert.Contains("canonical", Refused(() => Parse(Smallest.ToString().Replace(",", ", "), Statistics(Smallest, 7))));

        var tensors = new Dictionary<string, WeightTensor> { [Smallest + "/stem.bn.scale"] = new(new[] { 16 }, new float[16]) };
        Assert.Contains("ends neither", Refused(() => BatchNormStatisticsFile.Parse(
            Safetensors.ToBytes(tensors, new Dictionary<string, string> { ["formatVersion"] = "1", ["calibrationImages"] = "1" }), "bnstats.safetensors", Spec)));
    }

    [Fact]
    public void InvalidFileInABundle_FailsLoad()
    {
        string folder = Path.Combine(_root, "bad");
        RandomBundle().Save(folder);
        var statistics = Statistics(Largest, 8);
        statistics["stem.bn"] = new BatchNormStatistics(new float[16], new float[15]);
        File.WriteAllBytes(Path.Combine(folder, BatchNormStatisticsFile.FileName),
            Bytes(new Dictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> { [Largest.ToString()] = statistics }));
        var e = Assert.Throws<SubnetGenException>(() => SupernetBundle.Load(folder));
        Assert.Equal(DiagnosticCodes.BatchNormStatisticsFileInvalid, e.Diagnostic.Code);
        Assert.EndsWith(BatchNormStatisticsFile.FileName, e.Diagnostic.File);
    }

    [Fact]
    public void Extraction_UsesTheBundlesStatistics_LikeExplicitOptions()
    {
        var bundle = RandomBundle().WithBatchNormStatistics(File2());
        foreach (var config in new[] { Smallest, Largest })
        {
            var fromBundle = SubnetExtractor.Extract(bundle, config);
            var explicitly = SubnetExtractor.Extract(bundle.Spec, bundle.Tensors, config,
                new ExtractOptions { BatchNormStatistics = bundle.BatchNormStatistics!.For(config) });
            var plain = SubnetExtractor.Extract(bundle.Spec, bundle.Tensors, config);
            Assert.Equal(explicitly.Weights, fromBundle.Weights);
            Assert.NotEqual(plain.Weights, fromBundle.Weights);
        }

        // Explicit options win over the bundle's; a config without an entry uses the supernet's own statistics.
        var other = Statistics(Smallest, 9);
        Assert.Equal(SubnetExtractor.Extract(bundle.Spec, bundle.Tensors, Smallest, new ExtractOptions { BatchNormStatistics = other }).Weights,
            SubnetExtractor.Extract(bundle, Smallest, new ExtractOptions { BatchNormStatistics = other }).Weights);
        var middle = Spec.Space.Enumerate(Spec.Stages.Count).First(c => !c.Equals(Smallest) && !c.Equals(Largest));
        Assert.Equal(SubnetExtractor.Extract(bundle.Spec, bundle.Tensors, middle).Weights, SubnetExtractor.Extract(bundle, middle).Weights);
    }

    private static BatchNormStatisticsFile Parse(string config, IReadOnlyDictionary<string, BatchNormStatistics> statistics) =>
        BatchNormStatisticsFile.Parse(Bytes(new Dictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> { [config] = statistics }), "bnstats.safetensors", Spec);

    // The constructor does not validate, so it writes broken files as they are.
    private static byte[] Bytes(Dictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> configs) =>
        new BatchNormStatisticsFile(configs, 10).ToBytes();

    private static string Refused(Func<object> parse)
    {
        var e = Assert.Throws<SubnetGenException>(parse);
        Assert.Equal(DiagnosticCodes.BatchNormStatisticsFileInvalid, e.Diagnostic.Code);
        return e.Diagnostic.Message;
    }
}
