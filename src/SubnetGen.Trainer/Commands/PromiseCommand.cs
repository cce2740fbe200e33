using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using NuGet.Versioning;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
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
        var validation = new Option<int>("--validation") { Description = "The run's --validation: images held out of train.", DefaultValueFactory = _ => 5000 };
        var predictorImages = new Option<int?>("--predictor-images") { Description = "The run's --predictor-images: validation images after the calibration ones that filled the predictor table [default: the bundle's provenance]." };
        var images = new Option<int?>("--images") { Description = "Held-out images to measure each config on [default: every validation image after the predictor's]." };
        var seed = new Option<int?>("--seed") { Description = "The run's --seed [default: the seed in the bundle's provenance]." };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var batch = new Option<int>("--batch-size") { Description = "Recalibration and evaluation batch; keep the trainer's 500 (BN statistics are averaged per batch).", DefaultValueFactory = _ => RecalibrateCommand.DefaultBatchSize };
        var command = new Command("promise", "Measure a bundle on held-out validation images (every config of a table; the search's picks of a fitted predictor) and add promise.json, what builds promise.")
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
                $"Wrote {Path.Combine(request.Bundle, PromiseFile.FileName)}: {(outcome.Promise.Correction is { } c ? $"the correction from {c.Subnets} picks" : $"{outcome.Promise.Correct.Count} configs")} on {outcome.Promise.Images} held-out images in {outcome.Seconds:F0} s."));
            return 0;
        }));
        return command;
    }

    public sealed record Request(string Bundle, string Data, string? Version, int Validation = 5000, int? PredictorImages = null, int? Images = null,
        int? Seed = null, int BatchSize = RecalibrateCommand.DefaultBatchSize);

    /// <summary>What <see cref="Run"/> wrote; <see cref="PredictorMinusHeldOut"/> is the mean of (predictor − held-out) accuracy over the configs measured.</summary>
    public sealed record Outcome(PromiseFile Promise, double PredictorMinusHeldOut, double Seconds);

    public static Outcome Run(Request request, Device device, Action<string> log)
    {
        if (request.Version is not null && !NuGetVersion.TryParse(request.Version, out _))
            throw new ArgumentException($"--version {request.Version} is not a NuGet version (e.g. 1.2.0).");
        if (request.BatchSize <= 0) throw new ArgumentException($"--batch-size {request.BatchSize}: must be positive.");
        var bundle = SupernetBundle.Load(request.Bundle);
        var spec = bundle.Spec;
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

        var clock = Stopwatch.StartNew();
        if (bundle.Predictor.Kind != PredictorFile.TableKind || bundle.Predictor.Entries is not { } table)
            return Correction(bundle, request, device, heldOut, split, log, clock);
        log($"{bundle.Manifest.Id} {bundle.Manifest.Version}: {table.Count} configs, each BN-recalibrated on {bundle.Calibration.Count} calibration images and scored on {split}");
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
        double mean = gap / table.Count;
        log(string.Create(CultureInfo.InvariantCulture, $"Mean over configs of table − held-out accuracy: {mean * 100:+0.00;-0.00} points."));
        Save(bundle, request, promise, log);
        return new Outcome(promise, mean, clock.Elapsed.TotalSeconds);
    }

    private static void Save(SupernetBundle bundle, Request request, PromiseFile promise, Action<string> log)
    {
        var manifest = request.Version is null ? bundle.Manifest : bundle.Manifest with { Version = request.Version };
        new SupernetBundle(manifest, bundle.Tensors, bundle.Predictor, bundle.Calibration, bundle.BatchNormStatistics, promise).Save(request.Bundle);
        log(request.Version is null
            ? $"The bundle keeps version {bundle.Manifest.Version}: pack it under a new one (--version), as NuGet caches packages by id and version."
            : $"Bundle version {bundle.Manifest.Version} → {request.Version}.");
    }

    /// <summary>
    /// A fitted predictor's space is too large to measure (OFA: 10¹⁹ configs), and what it overestimates is what the search
    /// picks — the configs it rates highest. So the search is run under <see cref="CorrectionBudgets"/>, tight to loose, and
    /// each distinct pick is measured on the held-out images: the mean of (predicted − measured) is the correction the build
    /// subtracts, their spread its interval.
    /// </summary>
    private static Outcome Correction(SupernetBundle bundle, Request request, Device device, ImageSet heldOut, string split, Action<string> log, Stopwatch clock)
    {
        var spec = bundle.Spec;
        var predictor = bundle.Predictor.CreatePredictor(spec);
        var picks = new List<(SubnetConfig Config, double Predicted)>();
        foreach (var budget in CorrectionBudgets(spec))
        {
            try
            {
                var result = SubnetSearch.Run(spec, predictor, budget, null, SearchOptions.Default);
                if (!picks.Any(p => p.Config.Equals(result.Config))) picks.Add((result.Config, result.PredictedAccuracy));
            }
            catch (SubnetGenException e) when (e.Diagnostic.Code == DiagnosticCodes.NoSubnetFitsBudget) { }
        }
        log($"{bundle.Manifest.Id} {bundle.Manifest.Version}: {picks.Count} distinct picks of the search under {CorrectionBudgets(spec).Count} budgets, each BN-recalibrated on {bundle.Calibration.Count} calibration images and scored on {split}");
        var errors = new List<double>();
        using (var model = BundleRecalibrator.Model(bundle, device))
        {
            var evaluator = new SubnetEvaluator(model, BundleRecalibrator.Calibration(bundle), request.BatchSize);
            foreach (var (config, predicted) in picks)
            {
                double measured = (double)evaluator.Correct(config, heldOut).Count(c => c) / heldOut.Count;
                errors.Add(predicted - measured);
                log(string.Create(CultureInfo.InvariantCulture,
                    $"[{errors.Count}/{picks.Count}] {config}: predicted {predicted * 100:F2} %, held out {measured * 100:F2} %  {clock.Elapsed.TotalSeconds:F0} s"));
            }
        }
        if (errors.Count < 2) throw new InvalidOperationException($"The search found {errors.Count} distinct pick(s); a correction needs at least two.");
        double offset = errors.Average();
        double sd = Math.Sqrt(errors.Sum(e => (e - offset) * (e - offset)) / (errors.Count - 1));
        var promise = new PromiseFile(heldOut.Count, split, new SortedDictionary<string, int>(StringComparer.Ordinal), new PromiseCorrection(offset, sd, errors.Count));
        log(string.Create(CultureInfo.InvariantCulture,
            $"The predictor overestimates its picks by {offset * 100:+0.00;-0.00} points on average (standard deviation {sd * 100:0.00} over {errors.Count} picks): builds promise predicted − {offset * 100:0.00} ± {AccuracyPromise.Z95 * sd * Math.Sqrt(1 + 1.0 / errors.Count) * 100:0.00} points (95 %)."));
        Save(bundle, request, promise, log);
        return new Outcome(promise, offset, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Budgets from the smallest subnet's cost to the largest's: 12 MAC levels, 6 peak-memory and 6 weight levels, and none,
    /// so the picks span what builds ask for.
    /// </summary>
    public static IReadOnlyList<Budget> CorrectionBudgets(SupernetSpec spec)
    {
        int stages = spec.Stages.Count;
        var small = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Smallest(stages)));
        var large = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Largest(stages)));
        static IEnumerable<long> Levels(long from, long to, int count) =>
            Enumerable.Range(1, count).Select(i => from + (to - from) * i / count);
        var budgets = new List<Budget> { Budget.Unconstrained };
        budgets.AddRange(Levels(small.Macs, large.Macs, 12).Select(m => new Budget(MaxMacs: m)));
        budgets.AddRange(Levels(small.PeakMemoryBytes, large.PeakMemoryBytes, 6).Select(b => new Budget(MaxPeakMemoryBytes: b)));
        budgets.AddRange(Levels(small.WeightBytes, large.WeightBytes, 6).Select(b => new Budget(MaxWeightBytes: b)));
        return budgets;
    }
}
