using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Export;

/// <summary>
/// The predictor's training data for spaces too large for a table: subnets drawn by the last phase's sampler
/// (seeded), each BN-recalibrated and scored on validation images, appended to <c>predictor-data.tsv</c> as
/// they are measured. Shared by the export and <c>subnetgen-train sample</c>, so both draw and score the same
/// subnets the same way and a file one of them started is continued by the other.
/// </summary>
internal static class PredictorData
{
    /// <summary>The validation images the predictor's subnets are scored on: those after the calibration images, or the first ones when calibration took them all.</summary>
    public static ImageSet Images(ImageSet validation, int calibrationCount, int predictorImages)
    {
        int rest = validation.Count - calibrationCount;
        return rest > 0
            ? validation.Subset(BatchMaker.Range(calibrationCount, Math.Min(rest, predictorImages)))
            : validation.Take(predictorImages);
    }

    /// <summary>What a measurement depends on besides the weights; part of the key of the files that make an export resumable.</summary>
    public static string Measurement(string dataset, int seed, SubnetSampler sampler, int calibrationCount, int predictorImages, int batchSize) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{dataset}; seed {seed}; sampler {sampler.Describe()}; calibration {calibrationCount}; predictor images {predictorImages}; batch {batchSize}");

    /// <summary>The seeded random source of the draws (the export's since OFA 1.0.0).</summary>
    public static Random Draws(int seed) => new(seed + 7);

    /// <summary>
    /// Measures the first <paramref name="count"/> draws of <paramref name="sampler"/> into <paramref name="path"/>,
    /// reusing the rows a file of the same <paramref name="key"/> already holds; returns those <paramref name="count"/> rows
    /// and how many of them were already in the file.
    /// </summary>
    public static (IReadOnlyList<(SubnetConfig Config, double Accuracy)> Rows, int Reused) Measure(SupernetSpec spec, SubnetEvaluator evaluator, SubnetSampler sampler,
        ImageSet images, int count, int seed, string path, string key, ITrainingProgress progress)
    {
        var random = Draws(seed);
        using var samples = PredictorSamples.Open(path, key);
        int reused = Math.Min(samples.Rows.Count, count);
        if (reused > 0) progress.Message($"Reusing {reused} measured subnet(s) from {path}.");
        progress.StartEpoch($"predictor data ({count} subnets)", count);
        var rate = new MeasuringRate(evaluator.CalibrationImages + images.Count);
        for (int i = 0; i < count; i++)
        {
            var config = sampler.Sample(spec, random);
            // Elastic resolution: a resolution drawn after the architecture (no draw for one resolution).
            if (spec.Space.Resolutions is { } resolutions) config = config.WithResolution(resolutions[random.Next(resolutions.Count)]);
            if (i < samples.Rows.Count)
            {
                // Same key, same seed: the draws repeat. Anything else is a file edited by hand.
                if (!samples.Rows[i].Config.Equals(config))
                    throw new InvalidDataException($"{path} row {i} is {samples.Rows[i].Config}, but this run draws {config}; delete the file to measure the subnets again.");
            }
            else
            {
                samples.Add(config, evaluator.Accuracy(config, images));
                rate.Measured();
            }
            rate.Report(progress, i + 1, count, samples.Rows[i].Accuracy);
        }
        return (samples.Rows.Take(count).ToArray(), reused);
    }
}
