using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;

namespace SubnetGen.Core.Tests.Bundle;

public sealed class SupernetBundleTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sng-bundle-" + Guid.NewGuid().ToString("N"));
    private static readonly string[] Labels = Enumerable.Range(0, 10).Select(i => "c" + i).ToArray();

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static SupernetBundle Random(Family family, int seed = 7, CalibrationSet? calibration = null) =>
        RandomSupernet.Create(DefaultSupernets.FashionMnist(family), "Test.Supernet", "0.1.0", seed, Labels, calibration);

    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.CompOfa)]
    [InlineData(Family.MoOfa)]
    public void SaveThenLoadKeepsEverything(Family family)
    {
        var calibration = new CalibrationSet(28, 28, 1, Enumerable.Range(0, 2 * 784).Select(i => (byte)i).ToArray(), new[] { 4, 9 });
        var bundle = Random(family, calibration: calibration);
        string folder = Path.Combine(_root, "bundle");
        bundle.Save(folder);
        Assert.Equal(SupernetBundle.FileNames.OrderBy(n => n, StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Single(Directory.GetDirectories(_root)); // no temporary folder left behind

        var loaded = SupernetBundle.Load(folder);
        Assert.Equal(family, loaded.Manifest.Family);
        Assert.False(loaded.Manifest.Trained);
        Assert.Equal(bundle.Tensors.Count, loaded.Tensors.Count);
        foreach (var pair in bundle.Tensors)
        {
            Assert.Equal(pair.Value.Shape, loaded.Tensors[pair.Key].Shape);
            Assert.Equal(pair.Value.Data, loaded.Tensors[pair.Key].Data);
        }
        Assert.Equal(calibration.Images, loaded.Calibration.Images);
        Assert.Equal(calibration.Labels, loaded.Calibration.Labels);
        Assert.True(loaded.Predictor.Placeholder);

        // Saving again over an existing bundle replaces it.
        Random(family, seed: 8).Save(folder);
        Assert.NotEqual(loaded.Tensors["stem.conv.weight"].Data, SupernetBundle.Load(folder).Tensors["stem.conv.weight"].Data);
        Assert.Single(Directory.GetDirectories(_root));
    }

    [Fact]
    public void RandomSupernetIsDeterministicAndSeeded()
    {
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b"), c = Path.Combine(_root, "c");
        Random(Family.Ofa, 11).Save(a);
        Random(Family.Ofa, 11).Save(b);
        Random(Family.Ofa, 12).Save(c);
        foreach (var name in SupernetBundle.FileNames)
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, name)), File.ReadAllBytes(Path.Combine(b, name)));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, SupernetBundle.WeightsFileName)), File.ReadAllBytes(Path.Combine(c, SupernetBundle.WeightsFileName)));
    }

    [Fact]
    public void RandomSupernetHasSaneValues()
    {
        var bundle = Random(Family.Ofa);
        Assert.All(bundle.Tensors.Where(p => p.Key.EndsWith(".running_var", StringComparison.Ordinal)), p => Assert.All(p.Value.Data, v => Assert.True(v > 0)));
        Assert.All(bundle.Tensors.Values, t => Assert.All(t.Data, v => Assert.True(!float.IsNaN(v) && !float.IsInfinity(v))));
        // Transforms are near identity but not identity, so the transform path is exercised.
        var transform = bundle.Tensors["stages.0.blocks.0.dw.transform_5to3"].Data;
        Assert.InRange(transform[0], 0.95f, 1.05f);
        Assert.NotEqual(1f, transform[0]);
        Assert.InRange(transform[1], -0.05f, 0.05f);
        // He init: the stem's weights have a standard deviation near sqrt(2 / 9).
        var stem = bundle.Tensors["stages.4.blocks.0.expand.conv.weight"].Data;
        double std = Math.Sqrt(stem.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.8 * Math.Sqrt(2.0 / 48), 1.2 * Math.Sqrt(2.0 / 48));
    }

    [Fact]
    public void PlaceholderPredictorGrowsWithTheSubnet()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var predictor = RandomSupernet.PlaceholderPredictor(spec);
        var mlp = predictor.CreatePredictor(spec);
        double Predict(SubnetConfig config)
        {
            // Computed by hand from the file's single layer, and by the search's MlpPredictor: both must agree.
            var x = ArchitectureEncoding.Encode(spec, config);
            var layer = predictor.Layers.Single();
            double raw = layer.Bias[0];
            for (int i = 0; i < x.Length; i++) raw += layer.Weights[0, i] * x[i];
            double expected = raw * predictor.OutputScale + predictor.OutputOffset;
            Assert.Equal(expected, mlp.Predict(config), 5);
            return expected;
        }
        double smallest = Predict(spec.Space.Smallest(5)), largest = Predict(spec.Space.Largest(5));
        Assert.InRange(smallest, 0.5, 0.9);
        Assert.Equal(0.9, largest, 6);
        var middle = SubnetConfig.Parse("k5e4,k5e4,k5e4|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3");
        var bigger = SubnetConfig.Parse("k5e6,k5e4,k5e4|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3");
        var deeper = SubnetConfig.Parse("k5e4,k5e4,k5e4|k3e3,k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3");
        Assert.True(smallest < Predict(middle));
        Assert.True(Predict(middle) < Predict(bigger));
        Assert.True(Predict(middle) < Predict(deeper));
    }

    [Fact]
    public void MissingFilesAreNamed()
    {
        string folder = Path.Combine(_root, "bundle");
        Random(Family.CompOfa).Save(folder);
        foreach (var name in new[] { CalibrationSet.FileName, PredictorFile.FileName, SupernetBundle.WeightsFileName, SupernetManifest.FileName })
        {
            File.Delete(Path.Combine(folder, name));
            var e = Assert.Throws<SubnetGenException>(() => SupernetBundle.Load(folder));
            Assert.Equal(DiagnosticCodes.FormatFileMissing, e.Diagnostic.Code);
            Assert.EndsWith(name, e.Diagnostic.File);
        }
        Assert.Equal(DiagnosticCodes.FormatFileMissing,
            Assert.Throws<SubnetGenException>(() => SupernetBundle.Load(Path.Combine(_root, "nowhere"))).Diagnostic.Code);
    }

    [Fact]
    public void TensorsMustMatchTheStructure()
    {
        var bundle = Random(Family.Ofa);
        var spec = bundle.Spec;
        var missing = bundle.Tensors.Where(p => p.Key != "stages.3.blocks.2.se.expand.bias").ToDictionary(p => p.Key, p => p.Value);
        var e = Assert.Throws<SubnetGenException>(() => SupernetBundle.CheckTensors(spec, missing, "weights.safetensors"));
        Assert.Equal(DiagnosticCodes.TensorMissing, e.Diagnostic.Code);
        Assert.Contains("stages.3.blocks.2.se.expand.bias", e.Diagnostic.Message);

        var reshaped = new Dictionary<string, WeightTensor>(bundle.Tensors.ToDictionary(p => p.Key, p => p.Value))
        {
            ["head.classifier.bias"] = new(new[] { 11 }, new float[11]),
        };
        e = Assert.Throws<SubnetGenException>(() => SupernetBundle.CheckTensors(spec, reshaped, "weights.safetensors"));
        Assert.Equal(DiagnosticCodes.TensorShapeMismatch, e.Diagnostic.Code);
        Assert.Contains("[11]", e.Diagnostic.Message);
    }

    [Fact]
    public void ExpectedTensorsFollowTheFormatTable()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var expected = SupernetTensors.Expected(spec).ToDictionary(t => t.Name, t => t.Shape);
        // Spot checks against docs/formats.md with the default OFA widths 16/24/40/48/64 (stage 1 starts from the first block's 16) and M = make_divisible(Cin·6, 8).
        Assert.Equal(new[] { 16, 1, 3, 3 }, expected["stem.conv.weight"]);
        Assert.Equal(new[] { 16, 1, 3, 3 }, expected["first.dw.conv.weight"]);
        Assert.Equal(new[] { 96, 16, 1, 1 }, expected["stages.0.blocks.0.expand.conv.weight"]);
        Assert.Equal(new[] { 96, 1, 7, 7 }, expected["stages.0.blocks.1.dw.conv.weight"]);
        Assert.Equal(new[] { 25, 25 }, expected["stages.0.blocks.1.dw.transform_7to5"]);
        Assert.Equal(new[] { 9, 9 }, expected["stages.0.blocks.1.dw.transform_5to3"]);
        Assert.Equal(new[] { 24, 96, 1, 1 }, expected["stages.1.blocks.0.se.reduce.weight"]);
        Assert.Equal(new[] { 40, 144, 1, 1 }, expected["stages.1.blocks.1.se.reduce.weight"]); // make_divisible(36, 8) = 40
        Assert.Equal(new[] { 144, 40, 1, 1 }, expected["stages.1.blocks.1.se.expand.weight"]);
        Assert.Equal(new[] { 64, 384, 1, 1 }, expected["stages.4.blocks.3.project.conv.weight"]);
        Assert.Equal(new[] { 384, 64, 1, 1 }, expected["head.final_expand.conv.weight"]);
        Assert.Equal(new[] { 512, 384, 1, 1 }, expected["head.feature_mix.conv.weight"]);
        Assert.Equal(new[] { 10, 512 }, expected["head.classifier.weight"]);
        Assert.False(expected.ContainsKey("stages.0.blocks.0.se.reduce.weight"));
        Assert.False(expected.ContainsKey("head.feature_mix.bn.weight"));
    }
}
