using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using SubnetGen.Core.Bundle;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Commands;

/// <summary>
/// <c>subnetgen-train sample --bundle &lt;folder&gt; --data fashion-mnist --subnets 500</c>: measures sampled subnets of
/// an existing bundle — drawn, recalibrated and scored exactly as the export does — into a <c>predictor-data.tsv</c>
/// that <c>subnetgen-train predictor</c> refits the bundle's predictor from. For bundles exported before the trainer
/// kept that file (OFA 1.1.0), or to measure more subnets than the export did. Resumable like the export.
/// </summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var bundle = new Option<string>("--bundle") { Description = "Bundle folder to measure (left unchanged).", Required = true };
        var data = new Option<string>("--data") { Description = "The data set the bundle was trained on: fashion-mnist, or the folder given to run --data.", Required = true };
        var subnets = new Option<int>("--subnets") { Description = "How many sampled subnets to measure (the first draws of the export's seeded sampler).", DefaultValueFactory = _ => 500 };
        var output = new Option<string?>("--out") { Description = "The predictor-data.tsv to write or continue [default: predictor-data.tsv beside the bundle folder, where an export keeps it]." };
        var validation = new Option<int?>("--validation") { Description = TrainedSplit.ValidationDescription };
        var images = new Option<int>("--predictor-images") { Description = "Validation images (after the calibration ones) each subnet is scored on; the released supernets used 2000.", DefaultValueFactory = _ => 3000 };
        var seed = new Option<int?>("--seed") { Description = "The run's --seed [default: the seed in the bundle's provenance]." };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var batch = new Option<int>("--batch-size") { Description = "Recalibration and evaluation batch; keep the trainer's 500 (BN statistics are averaged per batch).", DefaultValueFactory = _ => RecalibrateCommand.DefaultBatchSize };
        var command = new Command("sample", "Measure sampled subnets of a bundle on its validation split into a predictor-data.tsv (then refit with `predictor --write`).")
        {
            bundle, data, subnets, output, validation, images, seed, threads, device, batch,
        };
        command.SetAction(parse => Cli.Run(() =>
        {
            var dev = TorchDevice.Select(parse.GetValue(device)!, parse.GetValue(threads));
            string folder = Path.GetFullPath(parse.GetValue(bundle)!);
            var request = new Request(folder, parse.GetValue(data)!, parse.GetValue(subnets),
                Path.GetFullPath(parse.GetValue(output) ?? DefaultOutput(folder)), parse.GetValue(validation), parse.GetValue(images),
                parse.GetValue(seed), parse.GetValue(batch));
            var outcome = SpectreProgress.Interactive
                ? SpectreProgress.Run(progress => Run(request, dev, progress))
                : Run(request, dev, new PlainProgress(Console.Out));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{outcome.Rows} subnets in {outcome.Path} ({outcome.Measured} measured now in {outcome.Seconds:F0} s). Next: subnetgen-train predictor --bundle {folder} --data {outcome.Path} [--write]"));
            return 0;
        }));
        return command;
    }

    /// <summary>What to measure.</summary>
    public sealed record Request(string Bundle, string Data, int Subnets, string Output, int? Validation = null, int PredictorImages = 3000, int? Seed = null,
        int BatchSize = RecalibrateCommand.DefaultBatchSize);

    /// <summary>What <see cref="Run"/> did: rows in the file, rows measured by this call.</summary>
    public sealed record Outcome(string Path, int Rows, int Measured, double Seconds);

    /// <summary>Where an export keeps the file: beside the bundle folder.</summary>
    public static string DefaultOutput(string bundleFolder) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bundleFolder).TrimEnd(Path.DirectorySeparatorChar))!, PredictorSamples.FileName);

    public static Outcome Run(Request request, TorchSharp.torch.Device device, ITrainingProgress progress)
    {
        if (request.Subnets <= 0) throw new ArgumentException($"--subnets {request.Subnets}: measure at least one subnet.");
        if (request.BatchSize <= 0) throw new ArgumentException($"--batch-size {request.BatchSize}: must be positive.");
        var bundle = SupernetBundle.Load(request.Bundle);
        var spec = bundle.Spec;
        if (bundle.Calibration.Count == 0)
            throw new InvalidOperationException($"{Path.Combine(request.Bundle, CalibrationSet.FileName)} holds no images: subnets are scored after BN recalibration on the bundle's calibration images, and this bundle has none.");

        var (splits, seed, _) = TrainedSplit.Load(bundle, request.Data, request.Validation, request.Seed);
        var calibration = BundleRecalibrator.Calibration(bundle);

        var images = PredictorData.Images(splits.Validation, calibration.Count, request.PredictorImages);
        var sampler = Schedule.FinalSampler(spec);
        int batch = request.BatchSize;
        string measurement = PredictorData.Measurement(splits.Name, seed, sampler, calibration.Count, images.Count, batch);
        string key = PredictorSamples.Key(bundle.Tensors, measurement);
        progress.Message(string.Create(CultureInfo.InvariantCulture,
            $"{bundle.Manifest.Id} {bundle.Manifest.Version}: {request.Subnets} subnets drawn by {sampler.Describe()} (seed {seed}), each BN-recalibrated on {calibration.Count} calibration images and scored on {images.Count} validation images"));

        var clock = Stopwatch.StartNew();
        using var model = BundleRecalibrator.Model(bundle, device);
        var (rows, reused) = PredictorData.Measure(spec, new SubnetEvaluator(model, calibration, batch), sampler, images, request.Subnets, seed, request.Output, key, progress);
        return new Outcome(request.Output, rows.Count, rows.Count - reused, clock.Elapsed.TotalSeconds);
    }
}
