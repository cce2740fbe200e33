using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.Core.Tests.Extract;
using SubnetGen.TestSupport;

namespace SubnetGen.Core.Tests.Artifact;

public sealed class SubnetArtifactTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sng-artifact-" + Guid.NewGuid().ToString("N"));
    private static readonly SubnetConfig Config = SubnetConfig.Parse("k3e4,k5e6|k7e3,k3e6,k5e4|k5e3,k5e3|k3e6,k7e4,k3e3,k5e6|k7e6,k3e3");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static (SubnetArtifact Artifact, ExtractedSubnet Subnet, SubnetCost Cost) Build(string name = "FashionClassifier")
    {
        var bundle = SubnetExtractorTests.Bundle(Family.Ofa);
        var subnet = SubnetExtractor.Extract(bundle, Config);
        var cost = CostModel.Measure(subnet.Graph);
        var artifact = SubnetArtifact.Create(name, null, bundle.Manifest, "default", subnet, ArenaPlan.Create(subnet.Graph),
            ArtifactMetrics.From(cost, 0.875, 1.25));
        return (artifact, subnet, cost);
    }

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
    private static (int, int) SliceOf(JsonElement e) => (e.GetProperty("offset").GetInt32(), e.GetProperty("length").GetInt32());

    [Fact]
    public void JsonHasEveryDocumentedField()
    {
        var (artifact, subnet, cost) = Build();
        using var doc = JsonDocument.Parse(artifact.ToJson());
        var root = doc.RootElement;
        var graph = subnet.Graph;
        var arena = ArenaPlan.Create(graph);

        Assert.Equal(1, root.GetProperty("formatVersion").GetInt32());
        Assert.Equal("FashionClassifier", root.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("namespace").ValueKind);
        var supernet = root.GetProperty("supernet");
        Assert.Equal("Test.Ofa", supernet.GetProperty("id").GetString());
        Assert.Equal("1.0.0", supernet.GetProperty("version").GetString());
        Assert.Equal("ofa", supernet.GetProperty("family").GetString());
        Assert.False(supernet.GetProperty("trained").GetBoolean());
        Assert.Equal("default", root.GetProperty("target").GetString());
        Assert.Equal(Config.ToString(), root.GetProperty("architecture").GetString());
        var input = root.GetProperty("input");
        Assert.Equal(28, input.GetProperty("height").GetInt32());
        Assert.Equal(1, input.GetProperty("channels").GetInt32());
        Assert.Equal(0.286f, input.GetProperty("mean")[0].GetSingle());
        Assert.Equal(0.353f, input.GetProperty("std")[0].GetSingle());
        Assert.Equal(10, root.GetProperty("labels").GetArrayLength());
        Assert.Equal("class3", root.GetProperty("labels")[3].GetString());

        var metrics = root.GetProperty("metrics");
        Assert.Equal(0.875, metrics.GetProperty("predictedAccuracy").GetDouble());
        Assert.Equal(cost.Macs, metrics.GetProperty("macs").GetInt64());
        Assert.Equal(subnet.Layout.Parameters, metrics.GetProperty("parameters").GetInt64());
        Assert.Equal(subnet.Layout.TotalFloats * 4L, metrics.GetProperty("weightBytes").GetInt64());
        Assert.Equal(arena.TotalFloats * 4L, metrics.GetProperty("peakMemoryBytes").GetInt64());
        Assert.Equal(cost.MoofaPeakElements, metrics.GetProperty("moofaPeakElements").GetInt64());
        Assert.Equal(1.25, metrics.GetProperty("latencyMs").GetDouble());
        Assert.Equal(arena.TotalFloats, root.GetProperty("arenaFloats").GetInt32());
        Assert.Equal("FashionClassifier.weights.bin", root.GetProperty("weightsResource").GetString());
        Assert.Equal(subnet.Weights.Length, root.GetProperty("weightFloats").GetInt32());

        var layers = root.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(graph.Layers.Count, layers.Length);

        var normalize = layers[0];
        Assert.Equal("normalize", normalize.GetProperty("op").GetString());
        Assert.Equal("input", normalize.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, normalize.GetProperty("input").ValueKind);
        Assert.Equal(784, normalize.GetProperty("output").GetProperty("length").GetInt32());
        Assert.Equal(new[] { 28, 28, 1 }, Ints(normalize.GetProperty("inShape")));
        Assert.False(normalize.TryGetProperty("weights", out _));

        var stem = layers[1];
        Assert.Equal("conv", stem.GetProperty("op").GetString());
        Assert.Equal((3, 1, "hswish"), (stem.GetProperty("kernel").GetInt32(), stem.GetProperty("stride").GetInt32(), stem.GetProperty("activation").GetString()));
        Assert.Equal((0, 16 * 3 * 3 * 1), SliceOf(stem.GetProperty("weights")));
        Assert.Equal((WeightLayout.Alignment * 9, 16), SliceOf(stem.GetProperty("bias")));
        Assert.Equal(SliceOf(normalize.GetProperty("output")), SliceOf(stem.GetProperty("input")));

        for (int i = 0; i < layers.Length; i++)
        {
            var layer = graph.Layers[i];
            var json = layers[i];
            Assert.Equal(layer.Name, json.GetProperty("name").GetString());
            if (layer.Output != Layer.External)
                Assert.Equal((arena.Offsets[layer.Output], graph.Tensors[layer.Output].Length), SliceOf(json.GetProperty("output")));
            Assert.Equal(layer.Op is OpKind.Conv or OpKind.Depthwise, json.TryGetProperty("kernel", out _));
            Assert.Equal(layer.Residual != Layer.External, json.TryGetProperty("residual", out _));
            var w = subnet.Layout.Layers[i];
            if (w.Weights.Length > 0) Assert.Equal((w.Weights.Offset, w.Weights.Length), SliceOf(json.GetProperty("weights")));
        }

        var dw = layers.Single(l => l.GetProperty("name").GetString() == "stages.1.blocks.0.dw");
        Assert.Equal(("depthwise", 7, 2, "relu"), (dw.GetProperty("op").GetString(), dw.GetProperty("kernel").GetInt32(), dw.GetProperty("stride").GetInt32(), dw.GetProperty("activation").GetString()));
        var se = layers.Single(l => l.GetProperty("name").GetString() == "stages.1.blocks.0.se");
        Assert.Equal("squeezeExcite", se.GetProperty("op").GetString());
        Assert.Equal(SliceOf(se.GetProperty("input")), SliceOf(se.GetProperty("output")));
        int middle = 48, reduced = 16; // make_divisible(16·3, 8) = 48; make_divisible(48/4, 8) = 16
        Assert.Equal(reduced, se.GetProperty("reduced").GetInt32());
        Assert.Equal(middle + reduced, se.GetProperty("scratch").GetProperty("length").GetInt32());
        Assert.Equal(reduced * middle, se.GetProperty("weights").GetProperty("length").GetInt32());
        Assert.Equal(reduced, se.GetProperty("bias").GetProperty("length").GetInt32());
        Assert.Equal(middle * reduced, se.GetProperty("weights2").GetProperty("length").GetInt32());
        Assert.Equal(middle, se.GetProperty("bias2").GetProperty("length").GetInt32());
        Assert.False(se.TryGetProperty("activation", out _));

        var project = layers.Single(l => l.GetProperty("name").GetString() == "stages.1.blocks.1.project");
        Assert.Equal("none", project.GetProperty("activation").GetString());
        var blockInput = layers.Single(l => l.GetProperty("name").GetString() == "stages.1.blocks.0.project");
        Assert.Equal(SliceOf(blockInput.GetProperty("output")), SliceOf(project.GetProperty("residual")));

        var mix = layers.Single(l => l.GetProperty("name").GetString() == "head.feature_mix");
        Assert.Equal(("linear", "hswish"), (mix.GetProperty("op").GetString(), mix.GetProperty("activation").GetString()));
        var softmax = layers[layers.Length - 1];
        Assert.Equal("softmax", softmax.GetProperty("op").GetString());
        Assert.Equal(JsonValueKind.Null, softmax.GetProperty("output").ValueKind);
        Assert.Equal(new[] { 1, 1, 10 }, Ints(softmax.GetProperty("outShape")));
    }

    [Fact]
    public void WrittenFilesAreDeterministicAndReadBack()
    {
        var (a, subnetA, _) = Build();
        var (b, subnetB, _) = Build();
        var first = SubnetArtifactWriter.Write(Path.Combine(_root, "one"), a, subnetA.Weights);
        var second = SubnetArtifactWriter.Write(Path.Combine(_root, "two"), b, subnetB.Weights);
        SubnetArtifactWriter.Write(Path.Combine(_root, "one"), a, subnetA.Weights); // overwrite in place
        Assert.Equal(File.ReadAllBytes(first.JsonPath), File.ReadAllBytes(second.JsonPath));
        Assert.Equal(File.ReadAllBytes(first.WeightsPath), File.ReadAllBytes(second.WeightsPath));
        Assert.Equal(new[] { "FashionClassifier.subnet.json", "FashionClassifier.weights.bin" },
            Directory.GetFiles(Path.Combine(_root, "one")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.DoesNotContain((byte)'\r', File.ReadAllBytes(first.JsonPath));

        // weights.bin is raw float32 little-endian.
        var raw = File.ReadAllBytes(first.WeightsPath);
        Assert.Equal(subnetA.Weights.Length * 4, raw.Length);
        Assert.Equal(subnetA.Weights[3], BitConverter.ToSingle(BitConverter.IsLittleEndian ? raw.Skip(12).Take(4).ToArray() : raw.Skip(12).Take(4).Reverse().ToArray(), 0));

        var read = SubnetArtifact.Read(first.JsonPath);
        Assert.Equal(a.ToJson(), read.ToJson());
        Assert.Equal(a.Metrics, read.Metrics);
        Assert.Equal(a.Layers.Count, read.Layers.Count);
        Assert.Equal(subnetA.Weights, read.ReadWeights(first.WeightsPath));
    }

    [Fact]
    public void ArtifactRunsInItsArenaLikeTheSupernet()
    {
        // The artifact alone (shared arena at its offsets) computes what the supernet computes.
        var (artifact, subnet, _) = Build();
        var files = SubnetArtifactWriter.Write(_root, artifact, subnet.Weights);
        var read = SubnetArtifact.Read(files.JsonPath);
        var weights = read.ReadWeights(files.WeightsPath);
        var bundle = SubnetExtractorTests.Bundle(Family.Ofa);
        for (int seed = 10; seed < 12; seed++)
        {
            var pixels = SubnetExtractorTests.Pixels(bundle.Spec, seed);
            var expected = NaiveSupernetForward.Run(bundle.Spec, bundle.Tensors, Config, pixels);
            var actual = ReferenceForward.Run(read, weights, pixels);
            SubnetExtractorTests.AssertClose(expected.Logits, actual.Logits, 1e-4, relative: true);
            SubnetExtractorTests.AssertClose(expected.Probabilities, actual.Probabilities, 1e-4, relative: false);
        }
    }

    [Fact]
    public void MetricsMustMatchTheLayoutAndArena()
    {
        var bundle = SubnetExtractorTests.Bundle(Family.Ofa);
        var subnet = SubnetExtractor.Extract(bundle, Config);
        var cost = CostModel.Measure(subnet.Graph);
        var wrong = ArtifactMetrics.From(cost, null, null) with { PeakMemoryBytes = cost.PeakMemoryBytes - 4 };
        Assert.Throws<ArgumentException>(() => SubnetArtifact.Create("M", null, bundle.Manifest, "default", subnet, ArenaPlan.Create(subnet.Graph), wrong));
    }

    [Fact]
    public void BrokenFilesAreReported()
    {
        var (artifact, subnet, _) = Build("Model");
        var files = SubnetArtifactWriter.Write(_root, artifact, subnet.Weights);

        File.WriteAllBytes(files.WeightsPath, File.ReadAllBytes(files.WeightsPath).Take(100).ToArray());
        var e = Assert.Throws<SubnetGenException>(() => artifact.ReadWeights(files.WeightsPath));
        Assert.Equal(DiagnosticCodes.ArtifactWeightsMismatch, e.Diagnostic.Code);

        var text = File.ReadAllText(files.JsonPath);
        e = Assert.Throws<SubnetGenException>(() => SubnetArtifact.Parse(Encoding.UTF8.GetBytes(text.Replace("\"formatVersion\": 1", "\"formatVersion\": 2")), files.JsonPath));
        Assert.Equal(DiagnosticCodes.UnsupportedFormatVersion, e.Diagnostic.Code);
        e = Assert.Throws<SubnetGenException>(() => SubnetArtifact.Parse(Encoding.UTF8.GetBytes("{\"formatVersion\": 1, \"name\": \"M\"}"), files.JsonPath));
        Assert.Equal(DiagnosticCodes.ArtifactInvalid, e.Diagnostic.Code);
        Assert.Equal(DiagnosticCodes.FormatFileMissing, Assert.Throws<SubnetGenException>(() => SubnetArtifact.Read(Path.Combine(_root, "nope.subnet.json"))).Diagnostic.Code);
    }
}
