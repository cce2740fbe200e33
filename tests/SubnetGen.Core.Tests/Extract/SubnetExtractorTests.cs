using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.TestSupport;

namespace SubnetGen.Core.Tests.Extract;

public class SubnetExtractorTests
{
    internal static readonly string[] Labels = Enumerable.Range(0, 10).Select(i => "class" + i).ToArray();

    private static readonly Dictionary<Family, SupernetBundle> Bundles = new();

    internal static SupernetBundle Bundle(Family family)
    {
        lock (Bundles)
        {
            if (!Bundles.TryGetValue(family, out var bundle))
                Bundles[family] = bundle = RandomSupernet.Create(DefaultSupernets.FashionMnist(family), "Test." + family, "1.0.0", 1234 + (int)family, Labels);
            return bundle;
        }
    }

    internal static float[] Pixels(SupernetSpec spec, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, spec.Input.Height * spec.Input.Width * spec.Input.Channels).Select(_ => (float)random.NextDouble()).ToArray();
    }

    public static IEnumerable<object[]> Configs()
    {
        foreach (var family in new[] { Family.Ofa, Family.CompOfa, Family.MoOfa })
        {
            yield return new object[] { family, "smallest" };
            yield return new object[] { family, "largest" };
            for (int i = 0; i < 3; i++) yield return new object[] { family, "random" + i };
        }
    }

    internal static SubnetConfig Config(SupernetSpec spec, string which)
    {
        var space = spec.Space;
        if (which == "smallest") return space.Smallest(spec.Stages.Count);
        if (which == "largest") return space.Largest(spec.Stages.Count);
        var random = new Random((which[which.Length - 1] - '0') * 7919 + 17);
        return new SubnetConfig(Enumerable.Range(0, spec.Stages.Count).Select(s =>
        {
            var choices = space.StageChoices(s);
            return choices[random.Next(choices.Count)];
        }).ToArray());
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void FoldedHwcForwardMatchesSupernetForward(Family family, string which)
    {
        var bundle = Bundle(family);
        var spec = bundle.Spec;
        var config = Config(spec, which);
        var subnet = SubnetExtractor.Extract(bundle, config);

        for (int seed = 0; seed < 2; seed++)
        {
            var pixels = Pixels(spec, seed);
            var expected = NaiveSupernetForward.Run(spec, bundle.Tensors, config, pixels);
            var actual = ReferenceForward.Run(subnet.Graph, subnet.Layout, subnet.Weights, pixels);
            // Random weights must still give a signal worth comparing: distinct logits, not all zero.
            Assert.True(expected.Logits.Max() - expected.Logits.Min() > 0.05, $"degenerate logits {string.Join(", ", expected.Logits)}");
            AssertClose(expected.Logits, actual.Logits, 1e-4, relative: true);
            AssertClose(expected.Probabilities, actual.Probabilities, 1e-4, relative: false);
        }
    }

    [Fact]
    public void RecalibratedStatisticsReplaceStoredOnes()
    {
        var bundle = Bundle(Family.Ofa);
        var spec = bundle.Spec;
        var config = Config(spec, "random1");
        var graph = GraphBuilder.Build(spec, config);
        var random = new Random(5);
        var stats = new Dictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
        var naiveStats = new Dictionary<string, (float[], float[])>(StringComparer.Ordinal);
        // Active channel counts for every BN of this subnet, from the graph's output tensors.
        foreach (var layer in graph.Layers.Where(l => l.Op is OpKind.Conv or OpKind.Depthwise or OpKind.Pointwise))
        {
            int c = graph.Tensors[layer.Output].Channels;
            var mean = Enumerable.Range(0, c).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var variance = Enumerable.Range(0, c).Select(_ => (float)(0.3 + random.NextDouble())).ToArray();
            stats[layer.Name + ".bn"] = new BatchNormStatistics(mean, variance);
            var fullMean = (float[])bundle.Tensors[layer.Name + ".bn.running_mean"].Data.Clone();
            var fullVar = (float[])bundle.Tensors[layer.Name + ".bn.running_var"].Data.Clone();
            Array.Copy(mean, fullMean, c);
            Array.Copy(variance, fullVar, c);
            naiveStats[layer.Name + ".bn"] = (fullMean, fullVar);
        }

        var subnet = SubnetExtractor.Extract(bundle, config, new ExtractOptions { BatchNormStatistics = stats });
        var plain = SubnetExtractor.Extract(bundle, config);
        var pixels = Pixels(spec, 3);
        var expected = NaiveSupernetForward.Run(spec, bundle.Tensors, config, pixels, naiveStats);
        var actual = ReferenceForward.Run(subnet.Graph, subnet.Layout, subnet.Weights, pixels);
        AssertClose(expected.Logits, actual.Logits, 1e-4, relative: true);
        Assert.NotEqual(plain.Weights, subnet.Weights);
    }

    [Fact]
    public void StatisticsOfTheWrongLengthAreRefused()
    {
        var bundle = Bundle(Family.Ofa);
        var stats = new Dictionary<string, BatchNormStatistics> { ["stem.bn"] = new(new float[3], new float[3]) };
        var e = Assert.Throws<SubnetGenException>(() => SubnetExtractor.Extract(bundle, bundle.Spec.Space.Smallest(5), new ExtractOptions { BatchNormStatistics = stats }));
        Assert.Equal(DiagnosticCodes.BatchNormStatisticsInvalid, e.Diagnostic.Code);
        Assert.Contains("stem.bn", e.Diagnostic.Message);
    }

    [Fact]
    public void ConfigOutsideTheSpaceIsRefusedWithACode()
    {
        var bundle = Bundle(Family.CompOfa);
        var config = SubnetConfig.Parse("k7e6,k7e6|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3");
        var e = Assert.Throws<SubnetGenException>(() => SubnetExtractor.Extract(bundle, config));
        Assert.Equal(DiagnosticCodes.ExtractConfigInvalid, e.Diagnostic.Code);
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        var bundle = Bundle(Family.Ofa);
        var tensors = bundle.Tensors.Where(p => p.Key != "stages.2.blocks.0.dw.transform_5to3").ToDictionary(p => p.Key, p => p.Value);
        var config = SubnetConfig.Parse("k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3");
        var e = Assert.Throws<SubnetGenException>(() => SubnetExtractor.Extract(bundle.Spec, tensors, config));
        Assert.Equal(DiagnosticCodes.TensorMissing, e.Diagnostic.Code);
        Assert.Contains("stages.2.blocks.0.dw.transform_5to3", e.Diagnostic.Message);
    }

    [Fact]
    public void WeightsFollowTheSharedLayout()
    {
        var bundle = Bundle(Family.Ofa);
        var subnet = SubnetExtractor.Extract(bundle, Config(bundle.Spec, "random2"));
        Assert.Equal(WeightLayout.Create(subnet.Graph), subnet.Layout, new LayoutComparer());
        Assert.Equal(subnet.Layout.TotalFloats, subnet.Weights.Length);

        var used = new bool[subnet.Weights.Length];
        for (int i = 0; i < subnet.Graph.Layers.Count; i++)
        {
            var w = subnet.Layout.Layers[i];
            foreach (var slice in new Slice?[] { w.Weights, w.Bias, w.Weights2, w.Bias2 }.Where(s => s is { Length: > 0 }).Select(s => s!.Value))
            {
                Assert.Equal(0, slice.Offset % WeightLayout.Alignment);
                for (int f = slice.Offset; f < slice.End; f++)
                {
                    Assert.False(used[f], $"float {f} belongs to two tensors");
                    used[f] = true;
                }
            }
        }
        // Padding between tensors is zero, so the file's bytes depend only on the weights.
        for (int f = 0; f < used.Length; f++)
            if (!used[f]) Assert.Equal(0f, subnet.Weights[f]);

        // The feature mix has no bias: its slice is there (the runtime adds it) and zero; the classifier's is not.
        int mix = subnet.Graph.Layers.ToList().FindIndex(l => l.Name == "head.feature_mix");
        int cls = subnet.Graph.Layers.ToList().FindIndex(l => l.Name == "head.classifier");
        var mixBias = subnet.Layout.Layers[mix].Bias;
        Assert.Equal(512, mixBias.Length);
        Assert.All(subnet.Weights.Skip(mixBias.Offset).Take(mixBias.Length), v => Assert.Equal(0f, v));
        var clsBias = subnet.Layout.Layers[cls].Bias;
        Assert.Equal(bundle.Tensors["head.classifier.bias"].Data, subnet.Weights.Skip(clsBias.Offset).Take(clsBias.Length).ToArray());
    }

    [Fact]
    public void PointwiseIsTransposedAndScaledByBatchNorm()
    {
        // One known element checked by hand: stages.0.blocks.0.expand, output channel 5, input channel 3.
        var bundle = Bundle(Family.Ofa);
        var subnet = SubnetExtractor.Extract(bundle, bundle.Spec.Space.Largest(5));
        int index = subnet.Graph.Layers.ToList().FindIndex(l => l.Name == "stages.0.blocks.0.expand");
        var t = bundle.Tensors;
        int inC = 16, outC = subnet.Graph.Tensors[subnet.Graph.Layers[index].Output].Channels;
        double scale = t["stages.0.blocks.0.expand.bn.weight"].Data[5] / Math.Sqrt(t["stages.0.blocks.0.expand.bn.running_var"].Data[5] + 1e-5);
        double w = t["stages.0.blocks.0.expand.conv.weight"].Data[5 * inC + 3] * scale;
        double b = t["stages.0.blocks.0.expand.bn.bias"].Data[5] - t["stages.0.blocks.0.expand.bn.running_mean"].Data[5] * scale;
        var slots = subnet.Layout.Layers[index];
        Assert.Equal(w, subnet.Weights[slots.Weights.Offset + 3 * outC + 5], 6);
        Assert.Equal(b, subnet.Weights[slots.Bias.Offset + 5], 6);
    }

    internal static void AssertClose(float[] expected, float[] actual, double tolerance, bool relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double allowed = relative ? tolerance * Math.Max(1.0, Math.Abs(expected[i])) : tolerance;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= allowed, $"[{i}] expected {expected[i]}, got {actual[i]} (tolerance {allowed})");
        }
    }

    private sealed class LayoutComparer : IEqualityComparer<WeightLayout>
    {
        public bool Equals(WeightLayout? a, WeightLayout? b) => a!.TotalFloats == b!.TotalFloats && a.Layers.SequenceEqual(b.Layers);
        public int GetHashCode(WeightLayout obj) => obj.TotalFloats;
    }
}
