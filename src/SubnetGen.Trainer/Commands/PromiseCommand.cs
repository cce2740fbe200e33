using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using NuGet.Versioning;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Datasets;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Commands;

/// <summary>
/// <c>subnetgen-train promise --bundle &lt;folder&gt; --data &lt;data&gt; --version &lt;v&gt;</c>: measures a bundle on the validation
/// images no product path has used — after the calibration and predictor images — and adds <c>promise.json</c>, from
/// which builds promise their pick's accuracy with an interval (docs/search.md, "Honest promises"). A table bundle
/// (CompOFA, MOOFA) gets every config's count; a fitted-predictor bundle (OFA) the predictor's bias on the search's picks.
/// The search keeps ranking by the predictor, so the images that select a config never estimate it.
/// </summary>
internal static class PromiseCommand
{
    public static Command Create()
    {
        var bundle = new Option<string>("--bundle") { Description = "Bundle folder, rewritten in place with promise.json added.", Required = true };
        var data = new Option<string>("--data") { Description = "The data set the bundle was trained on: fashion-mnist, or the folder given to run --data.", Required = true };
        var version = new Option<string?>("--version") { Description = "The bundle's new package version (NuGet caches packages by id and version, so a changed bundle needs one)." };
        var validation = new Option<int?>("--validation") { Description = TrainedSplit.ValidationDescription };
        var predictorImages = new Option<int?>("--predictor-images") { Description = "The run's --predictor-images: validation images after the calibration ones that filled the predictor table [default: the bundle's provenance]." };
        var images = new Option<int?>("--images") { Description = "Held-out images to measure each config on [default: every validation image after the predictor's]." };
        var seed = new Option<int?>("--seed") { Description = "The run's --seed [default: the seed in the bundle's provenance]." };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var batch = new Option<int>("--batch-size") { Description = "Recalibration and evaluation batch; keep the trainer's 500 (BN statistics are averaged per batch).", DefaultValueFactory = _ => RecalibrateCommand.DefaultBatchSize };
        var export = new Option<string?>("--export-images") { Description = "Write the held-out images (IDX for Fashion-MNIST, PNG class folders for image folders) and held-out.json to this folder instead of measuring here; `subnetgen promise` then measures the generated C# models on them (faster, and what ships)." };
        var command = new Command("promise", "Measure a bundle on held-out validation images (every config of a table; the search's picks of a fitted predictor) and add promise.json, what builds promise.")
        {
            bundle, data, version, validation, predictorImages, images, seed, threads, device, batch, export,
        };
        command.SetAction(parse => Cli.Run(() =>
        {
            string? exportFolder = parse.GetValue(export) is { } e ? Path.GetFullPath(e) : null;
            var request = new Request(Path.GetFullPath(parse.GetValue(bundle)!), parse.GetValue(data)!, parse.GetValue(version), parse.GetValue(validation),
                parse.GetValue(predictorImages), parse.GetValue(images), parse.GetValue(seed), parse.GetValue(batch), exportFolder);
            if (exportFolder is not null)
            {
                Export(request, Console.WriteLine);
                return 0;
            }
            var dev = TorchDevice.Select(parse.GetValue(device)!, parse.GetValue(threads));
            var outcome = Run(request, dev, Console.WriteLine);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {Path.Combine(request.Bundle, PromiseFile.FileName)}: {(outcome.Promise.Correction is { } c ? $"the correction from {c.Subnets} picks" : $"{outcome.Promise.Correct.Count} configs")} on {outcome.Promise.Images} held-out images in {outcome.Seconds:F0} s."));
            return 0;
        }));
        return command;
    }

    public sealed record Request(string Bundle, string Data, string? Version, int? Validation = null, int? PredictorImages = null, int? Images = null,
        int? Seed = null, int BatchSize = RecalibrateCommand.DefaultBatchSize, string? ExportImages = null);

    /// <summary>What <see cref="Run"/> wrote; <see cref="PredictorMinusHeldOut"/> is the mean of (predictor − held-out) accuracy over the configs measured.</summary>
    public sealed record Outcome(PromiseFile Promise, double PredictorMinusHeldOut, double Seconds);

    /// <summary>Writes the held-out images and their <c>held-out.json</c> to <see cref="Request.ExportImages"/> instead of measuring them here.</summary>
    public static HeldOutImages Export(Request request, Action<string> log)
    {
        string folder = request.ExportImages ?? throw new ArgumentException("Export needs --export-images <folder>.");
        var (bundle, heldOut, split) = HeldOut(request);
        var description = new HeldOutImages(bundle.Manifest.Id, bundle.Manifest.Version, split, heldOut.Count);
        HeldOutExport.Write(folder, heldOut, description);
        log(string.Create(CultureInfo.InvariantCulture,
            $"Wrote the {heldOut.Count} held-out images ({split}) to {folder}. Measure the bundle's generated models on them: subnetgen promise --bundle {request.Bundle} --images {folder}"));
        return description;
    }

    public static Outcome Run(Request request, Device device, Action<string> log)
    {
        var (bundle, heldOut, split) = HeldOut(request);
        int count = heldOut.Count;
        if (bundle.Calibration.Count == 0)
            throw new InvalidOperationException($"{Path.Combine(request.Bundle, CalibrationSet.FileName)} holds no images: configs are scored after BN recalibration on them, as the table was.");
        var clock = Stopwatch.StartNew();
        using var model = BundleRecalibrator.Model(bundle, device);
        var evaluator = new SubnetEvaluator(model, BundleRecalibrator.Calibration(bundle), request.BatchSize);
        int Correct(SubnetConfig config) => evaluator.Correct(config, heldOut).Count(c => c);
        bool isTable = bundle.Predictor.Kind == PredictorFile.TableKind;
        var promise = PromiseMeasurement.Measure(bundle, count, split, Correct, $"BN-recalibrated on {bundle.Calibration.Count} calibration images and scored", log,
            (done, total, config, predicted, right) =>
            {
                var elapsed = clock.Elapsed;
                if (!isTable)
                    log(string.Create(CultureInfo.InvariantCulture,
                        $"[{done}/{total}] {config}: predicted {predicted * 100:F2} %, held out {100.0 * right / count:F2} %  {elapsed.TotalSeconds:F0} s"));
                else if (done % 10 == 0 || done == total)
                    log(string.Create(CultureInfo.InvariantCulture,
                        $"[{done}/{total}] {config}: {100.0 * right / count:F2} % held out, {predicted * 100:F2} % in the table  {elapsed.TotalSeconds:F0} s, ETA {ProgressText.Eta(TimeSpan.FromTicks(elapsed.Ticks / done * (total - done)))}"));
            });
        double mean = promise.Correction?.Offset ?? bundle.Predictor.Entries!.Average(e => e.Value - (double)promise.Correct[e.Key] / count);
        if (promise.Correction is null)
            log(string.Create(CultureInfo.InvariantCulture, $"Mean over configs of table − held-out accuracy: {mean * 100:+0.00;-0.00} points."));
        Save(bundle, request, promise, log);
        return new Outcome(promise, mean, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The bundle and its validation images after the calibration and predictor ones (the first <see cref="Request.Images"/> of them), described.</summary>
    private static (SupernetBundle Bundle, ImageSet HeldOut, string Split) HeldOut(Request request)
    {
        if (request.Version is not null && !NuGetVersion.TryParse(request.Version, out _))
            throw new ArgumentException($"--version {request.Version} is not a NuGet version (e.g. 1.2.0).");
        if (request.BatchSize <= 0) throw new ArgumentException($"--batch-size {request.BatchSize}: must be positive.");
        var bundle = SupernetBundle.Load(request.Bundle);
        int predictorImages = request.PredictorImages ?? bundle.Manifest.Provenance.PredictorImages
            ?? throw new ArgumentException($"{bundle.Manifest.Id}'s provenance does not record how many validation images filled its predictor table; pass the run's --predictor-images (the table's accuracies are multiples of 1/N).");

        var (splits, _, validation) = TrainedSplit.Load(bundle, request.Data, request.Validation, request.Seed);
        int first = bundle.Calibration.Count + predictorImages;
        int left = splits.Validation.Count - first;
        if (left <= 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The validation split has {splits.Validation.Count} images and the first {first} calibrated BN ({bundle.Calibration.Count}) and filled the predictor table ({predictorImages}): none is left unseen. Retrain with a larger --validation."));
        int count = Math.Min(left, request.Images ?? left);
        if (count <= 0) throw new ArgumentException($"--images {request.Images}: measure at least one image.");
        var heldOut = splits.Validation.Subset(BatchMaker.Range(first, count));
        string split = string.Create(CultureInfo.InvariantCulture, $"{splits.Name} validation images {first}–{first + count - 1} (seed {bundle.Manifest.Provenance.Seed ?? request.Seed}, --validation {validation})");
        return (bundle, heldOut, split);
    }

    private static void Save(SupernetBundle bundle, Request request, PromiseFile promise, Action<string> log)
    {
        var saved = bundle.WithPromise(promise);
        (request.Version is null ? saved : saved.WithVersion(request.Version)).Save(request.Bundle);
        log(request.Version is null
            ? $"The bundle keeps version {bundle.Manifest.Version}: pack it under a new one (--version), as NuGet caches packages by id and version."
            : $"Bundle version {bundle.Manifest.Version} → {request.Version}.");
    }
}
