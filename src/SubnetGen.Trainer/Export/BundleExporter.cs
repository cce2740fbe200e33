using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Export;

/// <summary>What the export measured.</summary>
internal sealed record ExportResult(string BundleFolder, MeasuredAccuracy Accuracy, PredictorFile Predictor, string ReportPath);

/// <summary>
/// Trained supernet → bundle (Core's <see cref="SupernetBundle"/> writes it atomically): weights, manifest with
/// provenance and the test accuracy of smallest/middle/largest (BN-recalibrated), the predictor (an exact table
/// when the space has at most <see cref="TableLimit"/> configs, else OFA's MLP), the calibration images and, for
/// table-sized spaces, every config's recalibrated BN statistics (<c>bnstats.safetensors</c>) captured while
/// scoring it for the table, so the build extracts each subnet with the statistics its accuracy was measured with.
/// </summary>
internal static class BundleExporter
{
    public const int TableLimit = 1000;

    /// <param name="start">What the run started from (--init): a bundle's schedule, epochs and wall time add up with this run's; a network file is named by its hash.</param>
    /// <param name="machine">Where this run trained (CPU model, cores, TorchSharp version), for the report; null leaves it out.</param>
    public static ExportResult Export(ElasticSupernet model, TrainOptions options, DatasetSplits data, TrainingResult training, string device, ITrainingProgress progress,
        StartingPoint? start = null, string? machine = null)
    {
        var spec = model.Spec;
        int stages = spec.Stages.Count;
        var calibration = data.Validation.Take(options.CalibrationCount);
        var predictorSet = PredictorData.Images(data.Validation, calibration.Count, options.PredictorImages);
        var test = options.TestLimit is int t ? data.Test.Limit(t) : data.Test;
        var weights = SupernetState.Export(model);
        var evaluator = new SubnetEvaluator(model, calibration, options.EvaluationBatchSize);

        var smallest = spec.Space.Smallest(stages);
        var middle = Schedule.Middle(spec);
        var largest = spec.Space.Largest(stages);
        var accuracy = new MeasuredAccuracy(evaluator.Accuracy(smallest, test), evaluator.Accuracy(middle, test), evaluator.Accuracy(largest, test), "test");
        progress.Message(string.Create(CultureInfo.InvariantCulture,
            $"Test accuracy (BN recalibrated on {calibration.Count} images): smallest {accuracy.Smallest * 100:F2}%, middle {accuracy.Middle * 100:F2}%, largest {accuracy.Largest * 100:F2}%"));

        PredictorFile predictor;
        BatchNormStatisticsFile? statistics = null;
        long count = spec.Space.Count(stages);
        var phase = training.Phases[training.Phases.Count - 1];
        string measurement = PredictorData.Measurement(data.Name, options.Seed, phase.Sampler, calibration.Count, predictorSet.Count, options.EvaluationBatchSize);
        if (count <= TableLimit)
        {
            var entries = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var perConfig = new SortedDictionary<string, IReadOnlyDictionary<string, Core.Extract.BatchNormStatistics>>(StringComparer.Ordinal);
            var cache = PredictorTableCache.Open(options.Output, PredictorSamples.Key(weights, measurement));
            int i = 0, reused = 0;
            progress.StartEpoch($"predictor table ({count} configs)", (int)count);
            var rate = new MeasuringRate(calibration.Count + predictorSet.Count);
            foreach (var config in spec.Space.Enumerate(stages))
            {
                if (cache.TryGet(i, config, out double configAccuracy, out var configStatistics)) reused++;
                else
                {
                    (configAccuracy, var measured) = evaluator.AccuracyAndStatistics(config, predictorSet);
                    configStatistics = measured;
                    cache.Add(i, config, configAccuracy, configStatistics);
                    rate.Measured();
                }
                entries[config.ToString()] = configAccuracy;
                perConfig[config.ToString()] = configStatistics;
                rate.Report(progress, ++i, (int)count, configAccuracy);
            }
            if (reused > 0) progress.Message($"Reused {reused} of {count} configs measured before, from {Path.Combine(options.Output, PredictorTableCache.FolderName)}.");
            predictor = PredictorFile.Table(entries);
            // Without calibration images there is nothing to recalibrate on: ship no statistics.
            if (calibration.Count > 0) statistics = new BatchNormStatisticsFile(perConfig, calibration.Count);
        }
        else
        {
            string dataPath = Path.Combine(options.Output, PredictorSamples.FileName);
            var (rows, _) = PredictorData.Measure(spec, evaluator, phase.Sampler, predictorSet, options.PredictorSubnets, options.Seed,
                dataPath, PredictorSamples.Key(weights, measurement), progress);
            var (fitted, compared) = PredictorTrainer.Train(spec, rows, options.Seed, options.Predictor);
            foreach (var c in compared) progress.Message(PredictorText.Describe(c));
            predictor = fitted;
        }

        string family = FormatNames.DisplayName(spec.Space.Family);
        string id = PackageId(spec.Space.Family, data.Name);
        // A phase with no epochs did not happen; a fresh run lists every other phase as before the finetune phase existed.
        string schedule = string.Join(", ", training.Phases.Where(p => p.Epochs > 0 || (p.Name != Schedule.FineTune && start is null)).Select(p => p.Describe()));
        // Distilling from another network than the run's own is part of how the weights came about.
        if (options.Teacher is string teacher) schedule += ", distilled from " + StartingPoint.DescribeTeacher(teacher);
        // Rates other than the two run-wide ones are part of the recipe.
        if (options.PhaseLearningRates is { Count: > 0 })
            schedule += ", learning rates " + string.Join(", ", training.Phases.Where(p => p.Epochs > 0).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.LearningRate}")));
        int epochs = training.Phases.Sum(p => p.Epochs);
        double wall = training.Position.WallTimeSeconds;
        if (start?.Manifest is SupernetManifest startManifest)
        {
            var before = startManifest.Provenance;
            schedule = $"{start.Describe()} ({before.Schedule ?? "schedule not recorded"}), then {schedule}";
            epochs += before.Epochs;
            wall += before.WallTimeSeconds;
        }
        // A network file has no record of how it was trained: named, not counted.
        else if (start is not null) schedule = $"from {start.Describe()}, then {schedule}";
        var provenance = new Provenance("subnetgen-train " + typeof(BundleExporter).Assembly.GetName().Version?.ToString(3), data.Name,
            schedule, epochs, Math.Round(wall), device, options.Seed,
            ValidationImages: data.Validation.Count, CalibrationImages: calibration.Count, PredictorImages: predictorSet.Count);
        var manifest = new SupernetManifest(id, options.Version, true, spec, data.Train.ClassNames.ToArray(), provenance, accuracy);
        var calibrationSet = new CalibrationSet(calibration.Height, calibration.Width, calibration.Channels, calibration.Pixels, calibration.Labels);
        var bundle = new SupernetBundle(manifest, weights, predictor, calibrationSet, statistics);
        string folder = Path.Combine(options.Output, "bundle");
        bundle.Save(folder);

        string report = Path.Combine(options.Output, "training-report.md");
        File.WriteAllText(report, Report(manifest, training, predictor, statistics, start, machine));
        return new ExportResult(folder, accuracy, predictor, report);
    }

    /// <summary>SubnetGen.Supernet.&lt;Dataset&gt;.&lt;Family&gt;, the bundle's id and its package's.</summary>
    public static string PackageId(Family family, string dataName) => FormatNames.SupernetPackageId(DataSource.PackageName(dataName), family);

    private static string Report(SupernetManifest manifest, TrainingResult training, PredictorFile predictor, BatchNormStatisticsFile? statistics, StartingPoint? start, string? machine)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(manifest.Id).Append(' ').Append(manifest.Version).Append("\n\n");
        text.Append("Schedule: ").Append(manifest.Provenance.Schedule).Append("\n\n");
        text.Append(string.Create(CultureInfo.InvariantCulture, $"Wall time: {manifest.Provenance.WallTimeSeconds:F0} s on {manifest.Provenance.Device}, seed {manifest.Provenance.Seed}.\n\n"));
        if (machine is not null) text.Append("Machine (this run): ").Append(machine).Append(".\n\n");
        text.Append("| subnet | test accuracy |\n|---|---|\n");
        text.Append(string.Create(CultureInfo.InvariantCulture, $"| smallest | {manifest.Accuracy.Smallest * 100:F2} % |\n| middle | {manifest.Accuracy.Middle * 100:F2} % |\n| largest | {manifest.Accuracy.Largest * 100:F2} % |\n\n"));
        text.Append(predictor.Kind == PredictorFile.TableKind
            ? $"Predictor: exact table of {predictor.Entries!.Count} configs"
              + (statistics is null ? ".\n\n" : $"; each config's recalibrated BN statistics ({statistics.CalibrationImages} calibration images) in {BatchNormStatisticsFile.FileName}.\n\n")
            : PredictorText.ReportLine(predictor) + "\n\n");
        text.Append("## Epochs\n\n");
        if (start?.Manifest is SupernetManifest startManifest)
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"This run continued {start.Describe()} (`--init`); schedule, epochs and wall time above include its {startManifest.Provenance.Epochs} epochs and {startManifest.Provenance.WallTimeSeconds:F0} s. This run's epochs ({training.Position.WallTimeSeconds:F0} s):\n\n"));
        else if (start is not null)
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"This run started from the network in {start.Describe()} (`--init`), which carries no record of its own training: epochs and wall time above are this run's only ({training.Position.WallTimeSeconds:F0} s):\n\n"));
        foreach (var line in training.Position.History) text.Append("- ").Append(line).Append('\n');
        return text.ToString();
    }
}
