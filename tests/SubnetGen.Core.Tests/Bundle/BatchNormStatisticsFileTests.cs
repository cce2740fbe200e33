using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;

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

    // Smallest and largest share only the stem and first block, with the same statistics (as recalibration gives them).
    private static BatchNormStatisticsFile File2(int calibrationImages = 300) => new(PrefixConsistent(new[] { Smallest, Largest }), calibrationImages);

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
        Assert.Equal("2", raw.Metadata["formatVersion"]);
        Assert.Equal("300", raw.Metadata["calibrationImages"]);
        // Stem and first block under "*", a stage's BNs under the stages up to it, the last stage and head under the config.
        Assert.Equal(new[] { 16 }, raw.Tensors["*/stem.bn.running_mean"].Shape);
        Assert.Contains("*/first.project.bn.running_var", raw.Tensors.Keys);
        string smallest = Smallest.ToString();
        Assert.Contains(smallest.Substring(0, smallest.IndexOf('|')) + "/stages.0.blocks.1.dw.bn.running_mean", raw.Tensors.Keys);
        Assert.Contains(string.Join("|", smallest.Split('|').Take(2)) + "/stages.1.blocks.0.expand.bn.running_var", raw.Tensors.Keys);
        Assert.Contains(Largest + "/stages.4.blocks.3.project.bn.running_var", raw.Tensors.Keys);
        Assert.Contains(Largest + "/head.final_expand.bn.running_mean", raw.Tensors.Keys);
        Assert.DoesNotContain(raw.Tensors.Keys, k => k.StartsWith(Largest + "/stem.", StringComparison.Ordinal));

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
        Assert.Equal(SupernetBundle.FileNames.Append(BatchNormStatisticsFile.FileName).OrderBy(n => n, StringComparer.Ordinal),
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
    [InlineData("4")]
    [InlineData("")]
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
        Assert.Contains("reads formatVersion 1, 2 or 3", e.Diagnostic.Message);
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
        Assert.Contains("no config in the file starts with", Refused(() => Parse(Smallest.ToString(), extra)));
        Assert.Contains("not a BN this subnet uses", Refused(() => ParseV1(Full(Smallest.ToString(), extra))));
        var extraHead = Statistics(Smallest, 4);
        extraHead["head.feature_mix.bn"] = extraHead["head.final_expand.bn"];
        Assert.Contains("\"head.feature_mix.bn\", which is not a BN this subnet uses", Refused(() => Parse(Smallest.ToString(), extraHead)));

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

    /// <summary>
    /// Statistics for every config of the CompOFA space as the prefix walk computes them: a BN's values depend only
    /// on the stages up to its own (stem and first block on none), the head's on the whole config.
    /// </summary>
    private static SortedDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> PrefixConsistent(IEnumerable<SubnetConfig> configs)
    {
        var byKey = new Dictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
        var result = new SortedDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>>(StringComparer.Ordinal);
        foreach (var config in configs)
        {
            var entry = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
            foreach (var bn in SubnetExtractor.ActiveBatchNorms(Spec, config))
            {
                string key = BatchNormStatisticsFile.PrefixOf(config.ToString(), bn.Name) + "/" + bn.Name;
                if (!byKey.TryGetValue(key, out var statistics))
                {
                    var random = new Random(byKey.Count + 17);
                    byKey[key] = statistics = new BatchNormStatistics(
                        Enumerable.Range(0, bn.Channels).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
                        Enumerable.Range(0, bn.Channels).Select(_ => (float)(0.2 + random.NextDouble() * 2)).ToArray());
                }
                // Copies, so that sharing in the read file is the reader's doing.
                entry[bn.Name] = new BatchNormStatistics(statistics.RunningMean.ToArray(), statistics.RunningVar.ToArray());
            }
            result[config.ToString()] = entry;
        }
        return result;
    }

    private static IReadOnlyList<SubnetConfig> AllConfigs => Spec.Space.Enumerate(Spec.Stages.Count).ToList();

    [Fact]
    public void PrefixOf_FollowsTheBnsPlace()
    {
        const string config = "k3e3,k3e3|k3e4,k3e4,k3e4|k3e6,k3e6|k3e3,k3e3|k3e4,k3e4";
        Assert.Equal("*", BatchNormStatisticsFile.PrefixOf(config, "stem.bn"));
        Assert.Equal("*", BatchNormStatisticsFile.PrefixOf(config, "first.project.bn"));
        Assert.Equal("k3e3,k3e3", BatchNormStatisticsFile.PrefixOf(config, "stages.0.blocks.1.expand.bn"));
        Assert.Equal("k3e3,k3e3|k3e4,k3e4,k3e4|k3e6,k3e6", BatchNormStatisticsFile.PrefixOf(config, "stages.2.blocks.0.dw.bn"));
        Assert.Equal(config, BatchNormStatisticsFile.PrefixOf(config, "stages.4.blocks.0.project.bn"));
        Assert.Equal(config, BatchNormStatisticsFile.PrefixOf(config, "head.final_expand.bn"));
        Assert.Equal(config, BatchNormStatisticsFile.PrefixOf(config, "stages.x.blocks.0.dw.bn"));
    }

    [Fact]
    public void EveryConfig_RoundTripsExactly_WithOneTensorPerPrefixAndBn()
    {
        var configs = AllConfigs;
        Assert.Equal(243, configs.Count);
        var original = PrefixConsistent(configs);
        var bytes = new BatchNormStatisticsFile(original, 1000).ToBytes();
        var raw = Safetensors.Read(bytes, "bnstats.safetensors");

        var expectedKeys = new SortedSet<string>(StringComparer.Ordinal);
        int perConfigVectors = 0;
        foreach (var config in configs)
            foreach (var bn in SubnetExtractor.ActiveBatchNorms(Spec, config))
            {
                expectedKeys.Add(BatchNormStatisticsFile.PrefixOf(config.ToString(), bn.Name) + "/" + bn.Name);
                perConfigVectors++;
            }
        Assert.Equal(expectedKeys.SelectMany(k => new[] { k + ".running_mean", k + ".running_var" }).OrderBy(k => k, StringComparer.Ordinal),
            raw.Tensors.Keys.OrderBy(k => k, StringComparer.Ordinal));
        // CompOFA's 243 configs: 11,907 (config, BN) pairs, 3,513 (prefix, BN) pairs (3 first-stage choices, 9 two-stage
        // prefixes, …; the last stage and the head stay per config). The file: 15.9 MB in v1, 6.8 MB in v2.
        Assert.Equal(11907, perConfigVectors);
        Assert.Equal(3513, expectedKeys.Count);
        int v1Size = new V1Writer(original).Bytes().Length;
        Assert.True(bytes.Length * 2 < v1Size, $"v2 {bytes.Length} bytes vs v1 {v1Size}");

        var read = BatchNormStatisticsFile.Parse(bytes, "bnstats.safetensors", Spec);
        AssertSameView(original, read);
        Assert.Equal(bytes, read.ToBytes());
        // Configs sharing a prefix share the arrays.
        var a = read.For(configs[0])!;
        var b = read.For(configs[configs.Count - 1])!;
        Assert.Same(a["stem.bn"].RunningMean, b["stem.bn"].RunningMean);
        var sameFirstStage = configs.First(c => c.Stages[0].SequenceEqual(configs[0].Stages[0]) && !c.Equals(configs[0]));
        Assert.Same(a["stages.0.blocks.0.expand.bn"].RunningVar, read.For(sameFirstStage)!["stages.0.blocks.0.expand.bn"].RunningVar);
        Assert.NotSame(a["head.final_expand.bn"].RunningMean, read.For(sameFirstStage)!["head.final_expand.bn"].RunningMean);
    }

    [Fact]
    public void ElasticResolution_KeepsEachResolutionsStatistics_InVersion3()
    {
        // The stem sees the input at each resolution, so no BN's statistics are shared across resolutions.
        var spec = Spec with { Space = Spec.Space.WithResolutions(new[] { 20, 24, 28 }) };
        var configs = new[] { Smallest.WithResolution(20), Smallest.WithResolution(28), Largest.WithResolution(24) };
        var original = new SortedDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>>(StringComparer.Ordinal);
        for (int i = 0; i < configs.Length; i++)
        {
            var random = new Random(40 + i);
            original[configs[i].ToString()] = SubnetExtractor.ActiveBatchNorms(spec, configs[i]).ToDictionary(bn => bn.Name, bn => new BatchNormStatistics(
                Enumerable.Range(0, bn.Channels).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
                Enumerable.Range(0, bn.Channels).Select(_ => (float)(0.2 + random.NextDouble() * 2)).ToArray()), StringComparer.Ordinal);
        }
        var bytes = new BatchNormStatisticsFile(original, 50).ToBytes();
        var raw = Safetensors.Read(bytes, "bnstats.safetensors");
        Assert.Equal("3", raw.Metadata["formatVersion"]);
        Assert.Contains("*@20/stem.bn.running_mean", raw.Tensors.Keys);
        Assert.Contains("*@28/stem.bn.running_mean", raw.Tensors.Keys);
        string smallest = Smallest.ToString();
        Assert.Contains(smallest.Substring(0, smallest.IndexOf('|')) + "@28/stages.0.blocks.0.expand.bn.running_var", raw.Tensors.Keys);
        Assert.Contains(configs[2] + "/head.final_expand.bn.running_mean", raw.Tensors.Keys);

        var read = BatchNormStatisticsFile.Parse(bytes, "bnstats.safetensors", spec);
        foreach (var config in configs)
            foreach (var bn in original[config.ToString()])
            {
                Assert.Equal(bn.Value.RunningMean, read.For(config)![bn.Key].RunningMean);
                Assert.Equal(bn.Value.RunningVar, read.For(config)![bn.Key].RunningVar);
            }
        Assert.Equal(bytes, read.ToBytes());

        // A version-2 file with resolutions held one resolution's stem and stage statistics for all: refused.
        var v2 = Safetensors.ToBytes(raw.Tensors, new Dictionary<string, string> { ["formatVersion"] = "2", ["calibrationImages"] = "50" });
        Assert.Contains("formatVersion 2 holds configs with resolutions", Refused(() => BatchNormStatisticsFile.Parse(v2, "bnstats.safetensors", spec)));
        Assert.Equal("*@20", BatchNormStatisticsFile.PrefixOf(configs[0].ToString(), "first.dw.bn"));
    }

    [Fact]
    public void Version1File_WithFullConfigKeys_StillReads()
    {
        var original = PrefixConsistent(AllConfigs.Take(20));
        var v1 = new V1Writer(original).Bytes();
        var raw = Safetensors.Read(v1, "bnstats.safetensors");
        Assert.Contains(Smallest + "/stem.bn.running_mean", raw.Tensors.Keys);

        var read = BatchNormStatisticsFile.Parse(v1, "bnstats.safetensors", Spec);
        Assert.Equal(1000, read.CalibrationImages);
        AssertSameView(original, read);
        // Saved again, it is v2 and reads to the same view.
        var again = BatchNormStatisticsFile.Parse(read.ToBytes(), "bnstats.safetensors", Spec);
        Assert.Equal("2", Safetensors.Read(read.ToBytes(), "x").Metadata["formatVersion"]);
        AssertSameView(original, again);

        // A v1 file keeps v1's checks: every BN under the whole config, so prefix keys are not configs.
        var tensors = new Dictionary<string, WeightTensor>(raw.Tensors, StringComparer.Ordinal) { ["*/stem.bn.running_mean"] = new(new[] { 16 }, new float[16]), ["*/stem.bn.running_var"] = new(new[] { 16 }, new float[16]) };
        Assert.Contains("\"*\" is not a config in canonical form", Refused(() => BatchNormStatisticsFile.Parse(
            Safetensors.ToBytes(tensors, raw.Metadata), "bnstats.safetensors", Spec)));
    }

    [Fact]
    public void ConfigsSharingAPrefix_TakeTheOrdinallyFirstConfigsValues()
    {
        var configs = AllConfigs.Where(c => c.Stages.Take(4).SequenceEqual(Smallest.Stages.Take(4), new StageComparer())).Take(2).ToList();
        Assert.Equal(2, configs.Count);
        var first = Statistics(configs[0], 21);
        var second = Statistics(configs[1], 22); // disagrees with the first on every shared BN (not what recalibrate writes)
        var read = BatchNormStatisticsFile.Parse(new BatchNormStatisticsFile(
            new Dictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> { [configs[1].ToString()] = second, [configs[0].ToString()] = first }, 10).ToBytes(),
            "bnstats.safetensors", Spec);
        Assert.Equal(first["stem.bn"].RunningMean, read.For(configs[1])!["stem.bn"].RunningMean);
        Assert.Equal(first["stages.3.blocks.1.project.bn"].RunningVar, read.For(configs[1])!["stages.3.blocks.1.project.bn"].RunningVar);
        Assert.Equal(second["stages.4.blocks.0.dw.bn"].RunningMean, read.For(configs[1])!["stages.4.blocks.0.dw.bn"].RunningMean);
        Assert.Equal(second["head.final_expand.bn"].RunningVar, read.For(configs[1])!["head.final_expand.bn"].RunningVar);
    }

    [Fact]
    public void Version2_MisplacedOrOrphanedOrMissingVectors_AreRefused()
    {
        var original = PrefixConsistent(new[] { Smallest, Largest });
        var raw = Safetensors.Read(new BatchNormStatisticsFile(original, 10).ToBytes(), "bnstats.safetensors");
        string Edit(Action<Dictionary<string, WeightTensor>> edit)
        {
            var tensors = new Dictionary<string, WeightTensor>(raw.Tensors, StringComparer.Ordinal);
            edit(tensors);
            return Refused(() => BatchNormStatisticsFile.Parse(Safetensors.ToBytes(tensors, raw.Metadata), "bnstats.safetensors", Spec));
        }
        void Move(Dictionary<string, WeightTensor> t, string from, string to)
        {
            foreach (var suffix in new[] { ".running_mean", ".running_var" })
            {
                t[to + suffix] = t[from + suffix];
                t.Remove(from + suffix);
            }
        }
        string smallestStage0 = Smallest.ToString().Split('|')[0];

        // Stored under the whole config (as v1 would) instead of its prefix: the config then lacks it under the prefix.
        Assert.Contains($"no statistics for stem.bn, which the subnet uses (looked for */stem.bn)",
            Edit(t => Move(t, "*/stem.bn", Smallest + "/stem.bn")));
        // Keeping both: the extra one is flagged.
        Assert.Contains($"\"{Smallest}/stem.bn\" is stored under the first 5 stages; stem.bn's statistics depend on no stage (prefix *)", Edit(t =>
        {
            t[Smallest + "/stem.bn.running_mean"] = t["*/stem.bn.running_mean"];
            t[Smallest + "/stem.bn.running_var"] = t["*/stem.bn.running_var"];
        }));
        // A stage-0 BN under "*", or a head BN under a stage prefix.
        Assert.Contains("is stored under no stage (prefix *); stages.0.blocks.0.expand.bn's statistics depend on the first stage", Edit(t =>
        {
            t["*/stages.0.blocks.0.expand.bn.running_mean"] = t[smallestStage0 + "/stages.0.blocks.0.expand.bn.running_mean"];
            t["*/stages.0.blocks.0.expand.bn.running_var"] = t[smallestStage0 + "/stages.0.blocks.0.expand.bn.running_var"];
        }));
        Assert.Contains("depend on the first 5 stages", Edit(t =>
        {
            t[smallestStage0 + "/head.final_expand.bn.running_mean"] = t[Smallest + "/head.final_expand.bn.running_mean"];
            t[smallestStage0 + "/head.final_expand.bn.running_var"] = t[Smallest + "/head.final_expand.bn.running_var"];
        }));
        // A prefix that no config in the file starts with.
        string orphan = Largest.ToString().Split('|')[0].Replace("e6", "e4");
        Assert.Contains($"\"{orphan}/stages.0.blocks.0.dw.bn\": no config in the file starts with", Edit(t =>
        {
            t[orphan + "/stages.0.blocks.0.dw.bn.running_mean"] = t[smallestStage0 + "/stages.0.blocks.0.dw.bn.running_mean"];
            t[orphan + "/stages.0.blocks.0.dw.bn.running_var"] = t[smallestStage0 + "/stages.0.blocks.0.dw.bn.running_var"];
        }));
        // Only one of mean and var; a shared vector of the wrong length; a key with two slashes.
        Assert.Contains("has only one of stem.bn.running_mean and stem.bn.running_var", Edit(t => t.Remove("*/stem.bn.running_var")));
        Assert.Contains("*/first.dw.bn.running_mean has 3 values; first.dw.bn has 16 active channels", Edit(t => t["*/first.dw.bn.running_mean"] = new(new[] { 3 }, new float[3])));
        Assert.Contains("holds a value that is not finite", Edit(t => t["*/first.dw.bn.running_mean"] = new(new[] { 16 }, Enumerable.Repeat(float.NaN, 16).ToArray())));
        Assert.Contains("is not a vector named <prefix>/<bn>", Edit(t => t["a/b/stem.bn.running_mean"] = new(new[] { 16 }, new float[16])));
    }

    private sealed class StageComparer : IEqualityComparer<IReadOnlyList<BlockConfig>>
    {
        public bool Equals(IReadOnlyList<BlockConfig>? x, IReadOnlyList<BlockConfig>? y) => x!.SequenceEqual(y!);
        public int GetHashCode(IReadOnlyList<BlockConfig> obj) => obj.Count;
    }

    private static void AssertSameView(IReadOnlyDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> expected, BatchNormStatisticsFile read)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), read.Configs.Keys);
        foreach (var config in expected)
        {
            Assert.Equal(config.Value.Keys.OrderBy(k => k, StringComparer.Ordinal), read.Configs[config.Key].Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var bn in config.Value)
            {
                Assert.Equal(bn.Value.RunningMean, read.Configs[config.Key][bn.Key].RunningMean);
                Assert.Equal(bn.Value.RunningVar, read.Configs[config.Key][bn.Key].RunningVar);
            }
        }
    }

    /// <summary>formatVersion "1" as the previous SubnetGen wrote it: every BN under the whole config.</summary>
    private sealed class V1Writer(IReadOnlyDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> configs)
    {
        public byte[] Bytes()
        {
            var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
            foreach (var config in configs)
                foreach (var bn in config.Value)
                {
                    tensors.Add(config.Key + "/" + bn.Key + ".running_mean", new(new[] { bn.Value.RunningMean.Length }, bn.Value.RunningMean));
                    tensors.Add(config.Key + "/" + bn.Key + ".running_var", new(new[] { bn.Value.RunningVar.Length }, bn.Value.RunningVar));
                }
            return Safetensors.ToBytes(tensors, new Dictionary<string, string> { ["formatVersion"] = "1", ["calibrationImages"] = "1000" });
        }
    }

    private static Dictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> Full(string config, IReadOnlyDictionary<string, BatchNormStatistics> statistics) =>
        new() { [config] = statistics };

    private static BatchNormStatisticsFile ParseV1(IReadOnlyDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> configs) =>
        BatchNormStatisticsFile.Parse(new V1Writer(configs).Bytes(), "bnstats.safetensors", Spec);

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
