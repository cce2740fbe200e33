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

    public static ExportResult Export(ElasticSupernet model, TrainOptions options, DatasetSplits data, TrainingResult training, string device, ITrainingProgress progress)
    {
        var spec = model.Spec;
        int stages = spec.Stages.Count;
        var calibration = data.Validation.Take(options.CalibrationCount);
        int rest = data.Validation.Count - calibration.Count;
        var predictorSet = rest > 0
            ? data.Validation.Subset(BatchMaker.Range(calibration.Count, Math.Min(rest, options.PredictorImages)))
            : data.Validation.Take(options.PredictorImages);
        var test = options.TestLimit is int t ? data.Test.Take(t) : data.Test;
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
        if (count <= TableLimit)
        {
            var entries = new SortedDictionary<string, double>(StringComparer.Ordinal);
            var perConfig = new SortedDictionary<string, IReadOnlyDictionary<string, Core.Extract.BatchNormStatistics>>(StringComparer.Ordinal);
            int i = 0;
            progress.StartEpoch($"predictor table ({count} configs)", (int)count);
            foreach (var config in spec.Space.Enumerate(stages))
            {
                var (configAccuracy, configStatistics) = evaluator.AccuracyAndStatistics(config, predictorSet);
                entries[config.ToString()] = configAccuracy;
                perConfig[config.ToString()] = configStatistics;
                progress.Step(++i, (int)count, 0, configAccuracy, 0, TimeSpan.Zero);
            }
            predictor = PredictorFile.Table(entries);
            // Without calibration images there is nothing to recalibrate on: ship no statistics.
            if (calibration.Count > 0) statistics = new BatchNormStatisticsFile(perConfig, calibration.Count);
        }
        else
        {
            var random = new Random(options.Seed + 7);
            var phase = training.Phases[training.Phases.Count - 1];
            string dataPath = Path.Combine(options.Output, PredictorSamples.FileName);
            string measurement = string.Create(CultureInfo.InvariantCulture,
                $"{data.Name}; seed {options.Seed}; sampler {phase.Sampler.Describe()}; calibration {calibration.Count}; predictor images {predictorSet.Count}; batch {options.EvaluationBatchSize}");
            using var samples = PredictorSamples.Open(dataPath, PredictorSamples.Key(weights, measurement));
            int reused = Math.Min(samples.Rows.Count, options.PredictorSubnets);
            if (reused > 0) progress.Message($"Reusing {reused} measured subnet(s) from {dataPath}.");
            progress.StartEpoch($"predictor data ({options.PredictorSubnets} subnets)", options.PredictorSubnets);
            for (int i = 0; i < options.PredictorSubnets; i++)
            {
                var config = phase.Sampler.Sample(spec, random);
                if (i < samples.Rows.Count)
                {
                    // Same key, same seed: the draws repeat. Anything else is a file edited by hand.
                    if (!samples.Rows[i].Config.Equals(config))
                        throw new InvalidDataException($"{dataPath} row {i} is {samples.Rows[i].Config}, but this run draws {config}; delete the file to measure the subnets again.");
                }
                else samples.Add(config, evaluator.Accuracy(config, predictorSet));
                progress.Step(i + 1, options.PredictorSubnets, 0, samples.Rows[i].Accuracy, 0, TimeSpan.Zero);
            }
            predictor = PredictorTrainer.Train(spec, samples.Rows.Take(options.PredictorSubnets).ToArray(), options.Seed);
            progress.Message(string.Create(CultureInfo.InvariantCulture,
                $"Predictor: RMSE {predictor.Validation!.Rmse:F4}, Kendall tau {predictor.Validation.KendallTau:F3} on {predictor.Validation.Subnets} held-out subnets"));
        }

        string family = FamilyName(spec.Space.Family);
        string id = $"SubnetGen.Supernet.{DataSource.PackageName(data.Name)}.{family}";
        string schedule = string.Join(", ", training.Phases.Select(p => p.Describe()));
        var provenance = new Provenance("subnetgen-train " + typeof(BundleExporter).Assembly.GetName().Version?.ToString(3), data.Name,
            schedule, training.Phases.Sum(p => p.Epochs), Math.Round(training.Position.WallTimeSeconds), device, options.Seed);
        var manifest = new SupernetManifest(id, options.Version, true, spec, data.Train.ClassNames.ToArray(), provenance, accuracy);
        var calibrationSet = new CalibrationSet(calibration.Height, calibration.Width, calibration.Channels, calibration.Pixels, calibration.Labels);
        var bundle = new SupernetBundle(manifest, weights, predictor, calibrationSet, statistics);
        string folder = Path.Combine(options.Output, "bundle");
        bundle.Save(folder);

        string report = Path.Combine(options.Output, "training-report.md");
        File.WriteAllText(report, Report(manifest, training, predictor, statistics));
        return new ExportResult(folder, accuracy, predictor, report);
    }

    public static string FamilyName(Family family) => family switch
    {
        Family.Ofa => "OFA",
        Family.CompOfa => "CompOFA",
        Family.MoOfa => "MOOFA",
        _ => family.ToString(),
    };

    private static string Report(SupernetManifest manifest, TrainingResult training, PredictorFile predictor, BatchNormStatisticsFile? statistics)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(manifest.Id).Append(' ').Append(manifest.Version).Append("\n\n");
        text.Append("Schedule: ").Append(manifest.Provenance.Schedule).Append("\n\n");
        text.Append(string.Create(CultureInfo.InvariantCulture, $"Wall time: {manifest.Provenance.WallTimeSeconds:F0} s on {manifest.Provenance.Device}, seed {manifest.Provenance.Seed}.\n\n"));
        text.Append("| subnet | test accuracy |\n|---|---|\n");
        text.Append(string.Create(CultureInfo.InvariantCulture, $"| smallest | {manifest.Accuracy.Smallest * 100:F2} % |\n| middle | {manifest.Accuracy.Middle * 100:F2} % |\n| largest | {manifest.Accuracy.Largest * 100:F2} % |\n\n"));
        text.Append(predictor.Kind == PredictorFile.TableKind
            ? $"Predictor: exact table of {predictor.Entries!.Count} configs"
              + (statistics is null ? ".\n\n" : $"; each config's recalibrated BN statistics ({statistics.CalibrationImages} calibration images) in {BatchNormStatisticsFile.FileName}.\n\n")
            : string.Create(CultureInfo.InvariantCulture, $"Predictor: MLP, RMSE {predictor.Validation!.Rmse:F4}, Kendall tau {predictor.Validation.KendallTau:F3} ({predictor.Validation.Subnets} held-out subnets).\n\n"));
        text.Append("## Epochs\n\n");
        foreach (var line in training.Position.History) text.Append("- ").Append(line).Append('\n');
        return text.ToString();
    }
}
