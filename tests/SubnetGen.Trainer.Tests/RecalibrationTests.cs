using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.TestSupport;
using SubnetGen.Packaging;
using SubnetGen.Trainer.Commands;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// <c>bnstats.safetensors</c> end to end: the recalibrate command's statistics are the evaluator's, Core extracts
/// each subnet with them to the same function as the TorchSharp subnet after recalibration (eval mode, 1e-4 on
/// real Fashion-MNIST images), and an in-run export writes the same file.
/// </summary>
public sealed class RecalibrationTests : IDisposable
{
    private const int Batch = 100;
    private const int Images = 4;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-recalibrate-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A bundle of <paramref name="model"/>'s tensors with <paramref name="calibration"/> as calibration.bin.</summary>
    private string SaveBundle(ElasticSupernet model, ImageSet calibration, string name)
    {
        var random = RandomSupernet.Create(model.Spec, "SubnetGen.Supernet.Test.CompOFA", "1.0.0", 1, calibration.ClassNames);
        var set = new CalibrationSet(calibration.Height, calibration.Width, calibration.Channels, calibration.Pixels, calibration.Labels);
        string folder = Path.Combine(_folder, name);
        new SupernetBundle(random.Manifest, SupernetState.Export(model), random.Predictor, set).Save(folder);
        return folder;
    }

    [Fact]
    public void Recalibrate_WritesEveryConfigsStatistics_AndCoreExtractionMatchesTorchSharp()
    {
        TorchRequirement.Ensure();
        var spec = TestData.Tiny(Family.CompOfa);
        using var model = new ElasticSupernet(spec, CPU, 31);
        Randomize.BatchNormsAndTransforms(model, 32);
        // 250 images in batches of 100: three batches, the last one partial, as the cumulative average must handle.
        var calibration = TestData.FashionMnistSplits.Validation.Take(250);
        string folder = SaveBundle(model, calibration, "bundle");
        var before = SupernetBundle.FileNames.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(folder, n)));

        var progress = new List<(int Done, int Total, string Config)>();
        var outcome = RecalibrateCommand.Run(folder, CPU, Batch, _ => { }, (done, total, config, _) => progress.Add((done, total, config.ToString())));

        var configs = spec.Space.Enumerate(spec.Stages.Count).ToList();
        Assert.Equal(9, configs.Count);
        Assert.Equal(Enumerable.Range(1, 9), progress.Select(p => p.Done));
        Assert.All(progress, p => Assert.Equal(9, p.Total));
        var bundle = SupernetBundle.Load(folder);
        Assert.NotNull(bundle.BatchNormStatistics);
        Assert.Equal(250, bundle.BatchNormStatistics!.CalibrationImages);
        Assert.Equal(configs.Select(c => c.ToString()).OrderBy(c => c, StringComparer.Ordinal), bundle.BatchNormStatistics.Configs.Keys);
        foreach (var (name, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder, name)));

        var evaluator = new SubnetEvaluator(model, calibration, Batch);
        foreach (var config in configs)
        {
            // The shared-prefix walk gives the evaluator's statistics (the ones an export measures accuracy with).
            var expected = evaluator.RecalibratedStatistics(config);
            var actual = bundle.BatchNormStatistics.For(config)!;
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var (bn, stats) in expected)
            {
                AssertClose(stats.RunningMean, actual[bn].RunningMean, $"{config} {bn} mean");
                AssertClose(stats.RunningVar, actual[bn].RunningVar, $"{config} {bn} var");
            }

            // Core picks the bundle's statistics up by itself, and the folded subnet is the recalibrated TorchSharp subnet.
            var extracted = SubnetExtractor.Extract(bundle, config);
            evaluator.Recalibrate(config);
            model.eval();
            ReferenceComparison.AssertMatches(model, extracted, Images, TestData.FashionMnistSplits.Test, config.ToString());
        }

        // Without the statistics the smallest subnet computes something else: the file matters.
        var smallest = configs[0];
        var stored = SubnetExtractor.Extract(bundle.Spec, bundle.Tensors, smallest);
        Assert.NotEqual(stored.Weights, SubnetExtractor.Extract(bundle, smallest).Weights);
    }

    [Fact]
    public void Export_WritesTheSameStatisticsAsRecalibrate_AndPackShipsThem()
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 96);
        var spec = TestData.Tiny(Family.CompOfa);
        var options = new TrainOptions
        {
            Family = Family.CompOfa,
            Output = Path.Combine(_folder, "run"),
            PhaseEpochs = new Dictionary<string, int> { ["teacher"] = 1, ["compound"] = 1 },
            BatchSize = 32,
            CalibrationCount = 150,
            PredictorImages = 50,
            EvaluationBatchSize = Batch,
            Seed = 9,
        };
        var training = new TrainingRun(options, data, spec, CPU).Execute(new SilentProgress());
        var export = BundleExporter.Export(training.Model, options, data, training, "cpu", new SilentProgress());
        var exported = SupernetBundle.Load(export.BundleFolder).BatchNormStatistics;
        Assert.NotNull(exported);
        Assert.Equal(150, exported!.CalibrationImages);
        Assert.Equal(export.Predictor.Entries!.Keys, exported.Configs.Keys);
        byte[] exportedBytes = File.ReadAllBytes(Path.Combine(export.BundleFolder, BatchNormStatisticsFile.FileName));

        // The command, from the bundle alone, reproduces what the run wrote.
        RecalibrateCommand.Run(export.BundleFolder, CPU, Batch, _ => { });
        var recalibrated = SupernetBundle.Load(export.BundleFolder).BatchNormStatistics!;
        foreach (var (config, statistics) in exported.Configs)
            foreach (var (bn, stats) in statistics)
            {
                AssertClose(stats.RunningMean, recalibrated.Configs[config][bn].RunningMean, $"{config} {bn} mean");
                AssertClose(stats.RunningVar, recalibrated.Configs[config][bn].RunningVar, $"{config} {bn} var");
            }
        Assert.Equal(exportedBytes.Length, File.ReadAllBytes(Path.Combine(export.BundleFolder, BatchNormStatisticsFile.FileName)).Length);

        var info = SupernetPackageWriter.Write(export.BundleFolder, Path.Combine(_folder, "feed"));
        using var zip = ZipFile.OpenRead(info.PackagePath);
        Assert.NotNull(zip.GetEntry("supernet/" + BatchNormStatisticsFile.FileName));
    }

    [Fact]
    public void Recalibrate_RefusesSpacesTooLargeToEnumerate()
    {
        TorchRequirement.Ensure();
        var spec = TestData.Tiny(Family.Ofa);
        Assert.True(spec.Space.Count(spec.Stages.Count) > BundleExporter.TableLimit);
        using var model = new ElasticSupernet(spec, CPU, 41);
        string folder = SaveBundle(model, TestData.FashionMnistSplits.Validation.Take(20), "ofa");
        var e = Assert.Throws<InvalidOperationException>(() => RecalibrateCommand.Run(folder, CPU, Batch, _ => { }));
        Assert.Contains("at most 1000", e.Message);
        Assert.False(File.Exists(Path.Combine(folder, BatchNormStatisticsFile.FileName)));
    }

    /// <summary>Same arithmetic on the same inputs, so equal; a tiny tolerance only guards against kernels that reorder sums.</summary>
    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: {expected[i]} vs {actual[i]}");
    }

    private sealed class SilentProgress : ITrainingProgress
    {
        public void StartEpoch(string label, int steps) { }
        public void Step(int done, int steps, double loss, double accuracy, double imagesPerSecond, TimeSpan eta) { }
        public void Message(string line) { }
    }
}
