using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using NuGet.Versioning;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Commands;

/// <summary>
/// <c>subnetgen-train promise --bundle &lt;folder&gt; --data &lt;data&gt; --version &lt;v&gt;</c>: measures every config of a
/// table-predictor bundle on the validation images no product path has used — after the calibration and predictor
/// images — and adds <c>promise.json</c>, from which the build promises the pick's accuracy with an interval
/// (docs/search.md, "Honest promises"). The search keeps maximising over the predictor table, so the images that
/// select a config never estimate it.
/// </summary>
internal static class PromiseCommand
{
    public static Command Create()
    {
        var bundle = new Option<string>("--bundle") { Description = "Table-predictor bundle folder (CompOFA, MOOFA), rewritten in place with promise.json added.", Required = true };
        var data = new Option<string>("--data") { Description = "The data set the bundle was trained on: fashion-mnist, or the folder given to run --data.", Required = true };
        var version = new Option<string?>("--version") { Description = "The bundle's new package version (NuGet caches packages by id and version, so a changed bundle needs one)." };
        var validation = new Option<int>("--validation") { Description = "The run's --validation: images held out of train.", DefaultValueFactory = _ => 5000 };
        var predictorImages = new Option<int?>("--predictor-images") { Description = "The run's --predictor-images: validation images after the calibration ones that filled the predictor table [default: the bundle's provenance]." };
        var images = new Option<int?>("--images") { Description = "Held-out images to measure each config on [default: every validation image after the predictor's]." };
        var seed = new Option<int?>("--seed") { Description = "The run's --seed [default: the seed in the bundle's provenance]." };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var batch = new Option<int>("--batch-size") { Description = "Recalibration and evaluation batch; keep the trainer's 500 (BN statistics are averaged per batch).", DefaultValueFactory = _ => RecalibrateCommand.DefaultBatchSize };
        var command = new Command("promise", "Measure every config of a table bundle on held-out validation images and add promise.json, the accuracies a build promises.")
        {
            bundle, data, version, validation, predictorImages, images, seed, threads, device, batch,
        };
        command.SetAction(parse => Cli.Run(() =>
        {
            var dev = TorchDevice.Select(parse.GetValue(device)!, parse.GetValue(threads));
            var request = new Request(Path.GetFullPath(parse.GetValue(bundle)!), parse.GetValue(data)!, parse.GetValue(version), parse.GetValue(validation),
                parse.GetValue(predictorImages), parse.GetValue(images), parse.GetValue(seed), parse.GetValue(batch));
            var outcome = Run(request, dev, Console.WriteLine);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {Path.Combine(request.Bundle, PromiseFile.FileName)}: {outcome.Promise.Correct.Count} configs on {outcome.Promise.Images} held-out images in {outcome.Seconds:F0} s."));
            return 0;
        }));
        return command;
    }

    public sealed record Request(string Bundle, string Data, string? Version, int Validation = 5000, int? PredictorImages = null, int? Images = null,
        int? Seed = null, int BatchSize = RecalibrateCommand.DefaultBatchSize);

    /// <summary>What <see cref="Run"/> wrote; <see cref="TableMinusPromise"/> is the mean over configs of (table − held-out) accuracy.</summary>
    public sealed record Outcome(PromiseFile Promise, double TableMinusPromise, double Seconds);

    public static Outcome Run(Request request, Device device, Action<string> log)
    {
        if (request.Version is not null && !NuGetVersion.TryParse(request.Version, out _))
            throw new ArgumentException($"--version {request.Version} is not a NuGet version (e.g. 1.2.0).");
        if (request.BatchSize <= 0) throw new ArgumentException($"--batch-size {request.BatchSize}: must be positive.");
        var bundle = SupernetBundle.Load(request.Bundle);
        var spec = bundle.Spec;
        if (bundle.Predictor.Kind != PredictorFile.TableKind || bundle.Predictor.Entries is not { } table)
            throw new InvalidOperationException($"{bundle.Manifest.Id} ships a fitted predictor over a design space too large to measure every config; promise.json holds one count per config and is for table bundles (CompOFA, MOOFA).");
        if (bundle.Calibration.Count == 0)
            throw new InvalidOperationException($"{Path.Combine(request.Bundle, CalibrationSet.FileName)} holds no images: configs are scored after BN recalibration on them, as the table was.");
        int predictorImages = request.PredictorImages ?? bundle.Manifest.Provenance.PredictorImages
            ?? throw new ArgumentException($"{bundle.Manifest.Id}'s provenance does not record how many validation images filled its predictor table; pass the run's --predictor-images (the table's accuracies are multiples of 1/N).");

        var (splits, _) = TrainedSplit.Load(bundle, request.Data, request.Validation, request.Seed);
        int first = bundle.Calibration.Count + predictorImages;
        int left = splits.Validation.Count - first;
        if (left <= 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The validation split has {splits.Validation.Count} images and the first {first} calibrated BN ({bundle.Calibration.Count}) and filled the predictor table ({predictorImages}): none is left unseen. Retrain with a larger --validation."));
        int count = Math.Min(left, request.Images ?? left);
        if (count <= 0) throw new ArgumentException($"--images {request.Images}: measure at least one image.");
        var heldOut = splits.Validation.Subset(BatchMaker.Range(first, count));
        string split = string.Create(CultureInfo.InvariantCulture, $"{splits.Name} validation images {first}–{first + count - 1} (seed {bundle.Manifest.Provenance.Seed ?? request.Seed}, --validation {request.Validation})");
        log($"{bundle.Manifest.Id} {bundle.Manifest.Version}: {table.Count} configs, each BN-recalibrated on {bundle.Calibration.Count} calibration images and scored on {split}");

        var clock = Stopwatch.StartNew();
        var correct = new SortedDictionary<string, int>(StringComparer.Ordinal);
        double gap = 0;
        using (var model = BundleRecalibrator.Model(bundle, device))
        {
            var evaluator = new SubnetEvaluator(model, BundleRecalibrator.Calibration(bundle), request.BatchSize);
            foreach (var (architecture, tableAccuracy) in table)
            {
                var config = SubnetConfig.Parse(architecture);
                correct[architecture] = evaluator.Correct(config, heldOut).Count(c => c);
                gap += tableAccuracy - (double)correct[architecture] / count;
                if (correct.Count % 10 == 0 || correct.Count == table.Count)
                {
                    var elapsed = clock.Elapsed;
                    log(string.Create(CultureInfo.InvariantCulture,
                        $"[{correct.Count}/{table.Count}] {architecture}: {100.0 * correct[architecture] / count:F2} % held out, {tableAccuracy * 100:F2} % in the table  {elapsed.TotalSeconds:F0} s, ETA {ProgressText.Eta(TimeSpan.FromTicks(elapsed.Ticks / correct.Count * (table.Count - correct.Count)))}"));
                }
            }
        }
        var promise = new PromiseFile(count, split, correct);
        var manifest = request.Version is null ? bundle.Manifest : bundle.Manifest with { Version = request.Version };
        new SupernetBundle(manifest, bundle.Tensors, bundle.Predictor, bundle.Calibration, bundle.BatchNormStatistics, promise).Save(request.Bundle);
        double mean = gap / table.Count;
        log(string.Create(CultureInfo.InvariantCulture, $"Mean over configs of table − held-out accuracy: {mean * 100:+0.00;-0.00} points."));
        log(request.Version is null
            ? $"The bundle keeps version {bundle.Manifest.Version}: pack it under a new one (--version), as NuGet caches packages by id and version."
            : $"Bundle version {bundle.Manifest.Version} → {request.Version}.");
        return new Outcome(promise, mean, clock.Elapsed.TotalSeconds);
    }
}
