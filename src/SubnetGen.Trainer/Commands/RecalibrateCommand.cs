using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Spectre.Console;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Commands;

/// <summary>
/// <c>subnetgen-train recalibrate --bundle &lt;folder&gt;</c>: adds <c>bnstats.safetensors</c> to an existing bundle
/// (one exported before the trainer wrote it): every config's recalibrated BN statistics from the bundle's own
/// weights and calibration images, the same numbers an export writes. Table-sized spaces only (≤ 1000 configs).
/// </summary>
internal static class RecalibrateCommand
{
    /// <summary>The trainer's evaluation batch (<see cref="TrainOptions.EvaluationBatchSize"/>); BN statistics depend on it.</summary>
    public const int DefaultBatchSize = 500;

    public static Command Create()
    {
        var bundle = new Option<string>("--bundle") { Description = "Bundle folder (supernet.json, weights.safetensors, …), rewritten in place with bnstats.safetensors added.", Required = true };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var batch = new Option<int>("--batch-size") { Description = "Calibration batch; keep the trainer's 500 to get the statistics the predictor table was measured with.", DefaultValueFactory = _ => DefaultBatchSize };
        var command = new Command("recalibrate", "Recalibrate BN for every config of a bundle's design space (≤ 1000 configs) and add bnstats.safetensors to the bundle.")
        {
            bundle, threads, device, batch,
        };
        command.SetAction(parse => Cli.Run(() =>
        {
            var dev = TorchDevice.Select(parse.GetValue(device)!, parse.GetValue(threads));
            string folder = Path.GetFullPath(parse.GetValue(bundle)!);
            int batchSize = parse.GetValue(batch);
            var result = SpectreProgress.Interactive
                ? SpectreProgress.Display(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        ProgressTask? task = null;
                        var redraw = new Redraw(context);
                        return Run(folder, dev, batchSize, AnsiConsole.WriteLine, (done, total, config, elapsed) =>
                        {
                            task ??= context.AddTask("recalibrate", maxValue: total);
                            task.Value = done;
                            task.Description = Markup.Escape($"recalibrate {done}/{total} {config}");
                            redraw.IfDue();
                        });
                    })
                : Run(folder, dev, batchSize, Console.WriteLine, (done, total, config, elapsed) =>
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{done}/{total}] {config}  {elapsed.TotalSeconds:F1} s, ETA {ProgressText.Eta(TimeSpan.FromTicks(elapsed.Ticks / done * (total - done)))}")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {Path.Combine(folder, BatchNormStatisticsFile.FileName)}: {result.Configs} configs in {result.Seconds:F1} s ({result.Seconds / result.Configs:F3} s per config)."));
            return 0;
        }));
        return command;
    }

    /// <summary>What <see cref="Run"/> did.</summary>
    public sealed record Outcome(BatchNormStatisticsFile Statistics, int Configs, double Seconds);

    /// <summary>Loads the bundle, computes every config's statistics and saves the bundle (atomically) with them.</summary>
    /// <param name="progress">After each config: (done, total, config, elapsed).</param>
    public static Outcome Run(string folder, Device device, int batchSize, Action<string> log, Action<int, int, SubnetConfig, TimeSpan>? progress = null)
    {
        var bundle = SupernetBundle.Load(folder, batchNormStatistics: false);
        var spec = bundle.Spec;
        int stages = spec.Stages.Count;
        long count = spec.Space.Count(stages);
        if (count > BundleExporter.TableLimit)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{bundle.Manifest.Id}'s {FormatNames.Of(spec.Space.Family)} design space has {count:N0} configs; recalibrate writes statistics for every config and handles spaces of at most {BundleExporter.TableLimit} (CompOFA and MOOFA: 243). Larger spaces (OFA) ship no bnstats.safetensors: the build extracts with the supernet's stored statistics."));
        if (bundle.Calibration.Count == 0)
            throw new InvalidOperationException($"{Path.Combine(folder, CalibrationSet.FileName)} holds no images, so there is nothing to recalibrate on; export the bundle with --calibration N (N > 0).");

        string replacing = !File.Exists(Path.Combine(folder, BatchNormStatisticsFile.FileName)) ? "" : "; replacing the existing " + BatchNormStatisticsFile.FileName;
        log(string.Create(CultureInfo.InvariantCulture,
            $"{bundle.Manifest.Id} {bundle.Manifest.Version}: recalibrating BN for {count} configs on {bundle.Calibration.Count} calibration images (batches of {batchSize}, {device.type.ToString().ToLowerInvariant()}){replacing}"));
        var clock = Stopwatch.StartNew();
        BatchNormStatisticsFile statistics;
        using (var model = BundleRecalibrator.Model(bundle, device))
            statistics = BundleRecalibrator.Compute(model, BundleRecalibrator.Calibration(bundle), spec.Space.Enumerate(stages), batchSize,
                (done, total, config) => progress?.Invoke(done, total, config, clock.Elapsed));
        double seconds = clock.Elapsed.TotalSeconds;
        bundle.WithBatchNormStatistics(statistics).Save(folder);
        return new Outcome(statistics, statistics.Configs.Count, seconds);
    }
}
