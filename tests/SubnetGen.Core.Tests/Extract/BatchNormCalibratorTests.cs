using System;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;

namespace SubnetGen.Core.Tests.Extract;

/// <summary>
/// How extraction picks BN statistics and the calibrator's contract. That Core's statistics equal the trainer's
/// (TorchSharp) is checked in SubnetGen.Trainer.Tests' BuildTimeRecalibrationTests on real images.
/// </summary>
public class BatchNormCalibratorTests
{
    private static CalibrationSet Images(SupernetSpec spec, int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * spec.Input.Height * spec.Input.Width * spec.Input.Channels];
        random.NextBytes(pixels);
        return new CalibrationSet(spec.Input.Height, spec.Input.Width, spec.Input.Channels, pixels, new int[count]);
    }

    private static SupernetBundle Bundle(Family family, CalibrationSet? calibration)
    {
        var spec = DefaultSupernets.FashionMnist(family);
        return RandomSupernet.Create(spec, "Test." + family, "1.0.0", 77, SubnetExtractorTests.Labels, calibration ?? Images(spec, 24, 5));
    }

    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.MoOfa)]
    public void ExtractFromBundle_WithoutShippedStatistics_RecalibratesOnTheCalibrationImages(Family family)
    {
        var bundle = Bundle(family, null);
        var config = SubnetExtractorTests.Config(bundle.Spec, "random1");

        var extracted = SubnetExtractor.Extract(bundle, config);
        var statistics = BatchNormCalibrator.Recalibrate(bundle.Spec, bundle.Tensors, config, bundle.Calibration);
        var expected = SubnetExtractor.Extract(bundle.Spec, bundle.Tensors, config, new ExtractOptions { BatchNormStatistics = statistics });
        var stored = SubnetExtractor.Extract(bundle.Spec, bundle.Tensors, config);

        Assert.Equal(BatchNormSource.Recalibrated, extracted.BatchNorm);
        Assert.Equal(BatchNormSource.Given, expected.BatchNorm);
        Assert.Equal(BatchNormSource.Stored, stored.BatchNorm);
        Assert.Equal(expected.Weights, extracted.Weights);
        Assert.NotEqual(stored.Weights, extracted.Weights);
        Assert.Equal(SubnetExtractor.ActiveBatchNorms(bundle.Spec, config).Select(b => (b.Name, b.Channels)).OrderBy(b => b.Name, StringComparer.Ordinal),
            statistics.Select(s => (s.Key, s.Value.RunningMean.Length)));
        Assert.All(statistics.Values, s => Assert.All(s.RunningVar, v => Assert.True(v >= 0 && float.IsFinite(v))));
    }

    [Fact]
    public void Recalibrate_IsDeterministic_AndEveryBatchCountsOnce()
    {
        var bundle = Bundle(Family.Ofa, null);
        var config = bundle.Spec.Space.Smallest(bundle.Spec.Stages.Count);
        var once = BatchNormCalibrator.Recalibrate(bundle.Spec, bundle.Tensors, config, bundle.Calibration, batchSize: 10);
        var again = BatchNormCalibrator.Recalibrate(bundle.Spec, bundle.Tensors, config, bundle.Calibration, batchSize: 10);
        Assert.Equal(once.Keys, again.Keys);
        foreach (var name in once.Keys)
        {
            Assert.Equal(once[name].RunningMean, again[name].RunningMean);
            Assert.Equal(once[name].RunningVar, again[name].RunningVar);
        }

        // The stem BN sees the images before any other BN, so its statistics are exactly the average of the per-batch ones
        // (24 images in batches of 10: 10, 10 and a partial 4, weighted equally as momentum 1/i does).
        var batches = new[] { (0, 10), (10, 10), (20, 4) }.Select(b => BatchNormCalibrator.Recalibrate(bundle.Spec, bundle.Tensors, config,
            new CalibrationSet(bundle.Calibration.Height, bundle.Calibration.Width, bundle.Calibration.Channels,
                bundle.Calibration.Images.Skip(b.Item1 * bundle.Calibration.ImageBytes).Take(b.Item2 * bundle.Calibration.ImageBytes).ToArray(),
                new int[b.Item2]), batchSize: 10)["stem.bn"]).ToArray();
        var stem = once["stem.bn"];
        for (int c = 0; c < stem.RunningMean.Length; c++)
        {
            Assert.Equal(batches.Average(b => (double)b.RunningMean[c]), stem.RunningMean[c], 5);
            Assert.Equal(batches.Average(b => (double)b.RunningVar[c]), stem.RunningVar[c], 5);
        }
    }

    [Fact]
    public void ExtractFromBundle_WithoutCalibrationImages_KeepsTheStoredStatistics()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var bundle = Bundle(Family.Ofa, CalibrationSet.Empty(spec.Input.Height, spec.Input.Width, spec.Input.Channels));
        var config = spec.Space.Largest(spec.Stages.Count);
        var extracted = SubnetExtractor.Extract(bundle, config);
        Assert.Equal(BatchNormSource.Stored, extracted.BatchNorm);
        Assert.Equal(SubnetExtractor.Extract(spec, bundle.Tensors, config).Weights, extracted.Weights);
    }

    [Fact]
    public void Recalibrate_WithNoImagesOrOtherShapes_ReportsSng4032()
    {
        var bundle = Bundle(Family.CompOfa, null);
        var spec = bundle.Spec;
        var config = spec.Space.Smallest(spec.Stages.Count);

        var empty = Assert.Throws<SubnetGenException>(() => BatchNormCalibrator.Recalibrate(spec, bundle.Tensors, config,
            CalibrationSet.Empty(spec.Input.Height, spec.Input.Width, spec.Input.Channels)));
        Assert.Equal(DiagnosticCodes.CalibrationUnusable, empty.Diagnostic.Code);
        Assert.Contains("holds no images", empty.Diagnostic.Message);

        var wrong = Assert.Throws<SubnetGenException>(() => BatchNormCalibrator.Recalibrate(spec, bundle.Tensors, config,
            new CalibrationSet(32, 32, 3, new byte[2 * 32 * 32 * 3], new int[2])));
        Assert.Equal(DiagnosticCodes.CalibrationUnusable, wrong.Diagnostic.Code);
        Assert.Contains("32x32x3", wrong.Diagnostic.Message);
        Assert.Contains("28x28x1", wrong.Diagnostic.Message);
    }
}
