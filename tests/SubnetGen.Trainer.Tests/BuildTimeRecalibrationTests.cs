using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.TestSupport;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// Core's <see cref="BatchNormCalibrator"/> (what the build runs for spaces that ship no bnstats, i.e. OFA)
/// measures the statistics the trainer measures: against TorchSharp's recalibration of the same supernet on
/// real Fashion-MNIST images, and against the statistics shipped in the released CompOFA package.
/// </summary>
public sealed class BuildTimeRecalibrationTests
{
    private readonly ITestOutputHelper _output;

    public BuildTimeRecalibrationTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.MoOfa)]
    public void Core_MatchesTorchSharpRecalibration_OnRealImages(Family family)
    {
        TorchRequirement.Ensure();
        var spec = DefaultSupernets.FashionMnist(family);
        using var model = new ElasticSupernet(spec, CPU, 41);
        Randomize.BatchNormsAndTransforms(model, 42);
        var tensors = SupernetState.Export(model);
        // 250 images in batches of 100: the last batch is partial, and counts as much as a full one (momentum 1/i).
        var images = TestData.FashionMnistSplits.Validation.Take(250);
        var calibration = new CalibrationSet(images.Height, images.Width, images.Channels, images.Pixels, images.Labels);
        var evaluator = new SubnetEvaluator(model, images, 100);

        var random = new Random(43);
        var sampler = new SubnetSampler(spec.Space.Depths, null, spec.Space.IsCoupled ? null : spec.Space.ExpandRatios, spec.Space.IsCoupled);
        var configs = new[] { spec.Space.Smallest(spec.Stages.Count), spec.Space.Largest(spec.Stages.Count), sampler.Sample(spec, random), sampler.Sample(spec, random) };
        foreach (var config in configs)
        {
            var expected = evaluator.RecalibratedStatistics(config);
            var actual = BatchNormCalibrator.Recalibrate(spec, tensors, config, calibration, batchSize: 100);
            AssertClose(expected, actual, config.ToString());
        }
    }

    [Fact]
    public void Core_ReproducesTheReleasedCompOfaStatistics()
    {
        string folder = ReleasedBundle.Extract(ReleasedBundle.CompOfa);
        try
        {
            var bundle = SupernetBundle.Load(folder);
            var spec = bundle.Spec;
            var configs = new[] { spec.Space.Smallest(spec.Stages.Count), spec.Space.Middle(spec.Stages.Count), spec.Space.Largest(spec.Stages.Count) };
            foreach (var config in configs)
            {
                var shipped = bundle.BatchNormStatistics!.For(config)!;
                var start = DateTime.UtcNow;
                var actual = BatchNormCalibrator.Recalibrate(spec, bundle.Tensors, config, bundle.Calibration);
                _output.WriteLine($"{config}: recalibrated on {bundle.Calibration.Count} images in {(DateTime.UtcNow - start).TotalSeconds:F2} s");
                AssertClose(shipped, actual, config.ToString());

                // Without bnstats.safetensors (as an OFA package ships), extraction recalibrates by itself.
                var fromFile = SubnetExtractor.Extract(bundle, config);
                var recalibrated = SubnetExtractor.Extract(bundle.WithBatchNormStatistics(null), config);
                Assert.Equal(BatchNormSource.Shipped, fromFile.BatchNorm);
                Assert.Equal(BatchNormSource.Recalibrated, recalibrated.BatchNorm);
                double scale = fromFile.Weights.Max(w => Math.Abs(w));
                double worst = fromFile.Weights.Zip(recalibrated.Weights, (a, b) => Math.Abs(a - b)).Max();
                Assert.True(worst <= 1e-4 * scale, $"{config}: folded weights differ by {worst} (largest weight {scale}).");
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>Same BN names and lengths; every value within 2e-4 relative (absolute below 1e-2: float32 sums over 100k+ values).</summary>
    private static void AssertClose(IReadOnlyDictionary<string, BatchNormStatistics> expected, IReadOnlyDictionary<string, BatchNormStatistics> actual, string config)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (name, stats) in expected)
            foreach (var (e, a, what) in new[] { (stats.RunningMean, actual[name].RunningMean, "mean"), (stats.RunningVar, actual[name].RunningVar, "var") })
            {
                Assert.Equal(e.Length, a.Length);
                for (int i = 0; i < e.Length; i++)
                    Assert.True(Math.Abs(e[i] - a[i]) <= 2e-4 * Math.Max(1e-2, Math.Abs(e[i])), $"{config} {name} {what}[{i}]: expected {e[i]}, Core {a[i]}");
            }
    }
}
