using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;

namespace SubnetGen.Trainer.Commands;

/// <summary>
/// <c>subnetgen-train validate --bundle &lt;folder&gt; --data fashion-mnist --config largest</c>: scores chosen subnets
/// of a bundle on its validation split (BN recalibrated first, as the build does), so candidate bundles are compared
/// and chosen without touching the test set. <c>--calibration N</c> recalibrates on the first N validation images
/// instead of the bundle's calibration images, to see what shipping more of them would give before re-exporting.
/// <c>--constraints constraints.json</c> scores what the build's search picks for each target instead, so a predictor
/// is judged by the subnets builds would ship; with <c>--against</c> the other bundle's own picks are scored beside them.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var bundle = new Option<string>("--bundle") { Description = "Bundle folder to score (left unchanged).", Required = true };
        var data = new Option<string>("--data") { Description = "The data set the bundle was trained on: fashion-mnist, or the folder given to run --data.", Required = true };
        var configs = new Option<string[]>("--config") { Description = "smallest, middle, largest or an architecture such as \"k3e3,k3e3|k5e4,…\"; repeat for several [default: smallest, middle and largest]." };
        var calibration = new Option<int?>("--calibration") { Description = "Recalibrate BN on the first N validation images instead of the bundle's calibration images." };
        var offset = new Option<int?>("--offset") { Description = "Score validation images from this index on [default: after the calibration images]; give the same offset to compare calibration sizes on the same images." };
        var images = new Option<int>("--images") { Description = "How many validation images to score on (fewer where the split ends).", DefaultValueFactory = _ => 5000 };
        var validation = new Option<int?>("--validation") { Description = TrainedSplit.ValidationDescription };
        var seed = new Option<int?>("--seed") { Description = "The run's --seed [default: the seed in the bundle's provenance]." };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var against = new Option<string?>("--against") { Description = "Another bundle of the same run's split (say, the version before): also score it and print the paired difference per subnet." };
        var constraints = new Option<string?>("--constraints") { Description = "constraints.json: score the subnet the build's search picks for each target of the model (instead of --config); with --against, the other bundle's own picks." };
        var model = new Option<string?>("--model") { Description = "With --constraints: the model whose targets to search [default: the one cut from this bundle's package]." };
        var batch = new Option<int>("--batch-size") { Description = "Recalibration and evaluation batch; keep the trainer's 500 (BN statistics are averaged per batch).", DefaultValueFactory = _ => RecalibrateCommand.DefaultBatchSize };
        var command = new Command("validate", "Score subnets of a bundle on its validation split after BN recalibration (never the test set), to compare and choose bundles.")
        {
            bundle, data, configs, constraints, model, calibration, offset, images, validation, seed, threads, device, batch, against,
        };
        command.SetAction(parse => Cli.Run(() =>
        {
            var dev = TorchDevice.Select(parse.GetValue(device)!, parse.GetValue(threads));
            var request = new Request(Path.GetFullPath(parse.GetValue(bundle)!), parse.GetValue(data)!, parse.GetValue(configs) ?? Array.Empty<string>(),
                parse.GetValue(calibration), parse.GetValue(offset), parse.GetValue(images), parse.GetValue(validation), parse.GetValue(seed),
                parse.GetValue(batch), parse.GetValue(against) is string other ? Path.GetFullPath(other) : null,
                parse.GetValue(constraints) is string file ? Path.GetFullPath(file) : null, parse.GetValue(model));
            Run(request, dev, Console.WriteLine);
            return 0;
        }));
        return command;
    }

    /// <summary>What to score.</summary>
    public sealed record Request(string Bundle, string Data, IReadOnlyList<string> Configs, int? Calibration = null, int? Offset = null, int Images = 5000,
        int? Validation = null, int? Seed = null, int BatchSize = RecalibrateCommand.DefaultBatchSize, string? Against = null,
        string? Constraints = null, string? Model = null);

    /// <summary>
    /// One scored subnet: <paramref name="Correct"/> of <paramref name="Images"/> validation images; <paramref name="Against"/> with --against,
    /// where <paramref name="AgainstConfig"/> is the other bundle's subnet (its own pick with --constraints, else the same config).
    /// <paramref name="Predicted"/> is the bundle predictor's accuracy for a --constraints pick.
    /// </summary>
    public sealed record Score(string Name, SubnetConfig Config, int Correct, int Images, PairedDifference? Against = null,
        double? Predicted = null, SubnetConfig? AgainstConfig = null)
    {
        public double Accuracy => (double)Correct / Images;
    }

    /// <summary>
    /// This bundle against another on the same images: <paramref name="Better"/> images only this one classifies right,
    /// <paramref name="Worse"/> only the other. The standard error is the paired one (McNemar's), far smaller than two
    /// accuracies' separate errors, because both are scored on the same images.
    /// </summary>
    public sealed record PairedDifference(int Better, int Worse, int Images)
    {
        public double Difference => (double)(Better - Worse) / Images;

        public double StandardError => Math.Sqrt(Math.Max(0, Better + Worse - (double)(Better - Worse) * (Better - Worse) / Images)) / Images;

        public static PairedDifference Of(bool[] mine, bool[] theirs)
        {
            int better = 0, worse = 0;
            for (int i = 0; i < mine.Length; i++)
            {
                if (mine[i] && !theirs[i]) better++;
                else if (!mine[i] && theirs[i]) worse++;
            }
            return new PairedDifference(better, worse, mine.Length);
        }

        /// <summary>
        /// The mean over several subnets (say, one pick per target) of their paired differences, and its standard
        /// error with the images as the independent units: per image, the mean over subnets of right-minus-right,
        /// so subnets that share most of their blocks are not counted as independent evidence. For one subnet it
        /// is <see cref="Of"/>'s difference and McNemar error.
        /// </summary>
        public static (double Difference, double StandardError) Mean(IReadOnlyList<bool[]> mine, IReadOnlyList<bool[]> theirs)
        {
            if (mine.Count == 0 || mine.Count != theirs.Count) throw new ArgumentException("Mean needs the same, non-zero number of subnets on both sides.");
            int images = mine[0].Length;
            var perImage = new double[images];
            for (int t = 0; t < mine.Count; t++)
            {
                for (int i = 0; i < images; i++) perImage[i] += ((mine[t][i] ? 1 : 0) - (theirs[t][i] ? 1 : 0)) / (double)mine.Count;
            }
            double mean = perImage.Average();
            double variance = perImage.Sum(d => (d - mean) * (d - mean)) / images;
            return (mean, Math.Sqrt(variance / images));
        }
    }

    public static IReadOnlyList<Score> Run(Request request, TorchSharp.torch.Device device, Action<string> log)
    {
        if (request.BatchSize <= 0) throw new ArgumentException($"--batch-size {request.BatchSize}: must be positive.");
        if (request.Images <= 0) throw new ArgumentException($"--images {request.Images}: score at least one image.");
        if (request.Calibration is <= 0) throw new ArgumentException($"--calibration {request.Calibration}: recalibrate on at least one image.");
        if (request.Offset is < 0) throw new ArgumentException($"--offset {request.Offset}: must be 0 or more.");
        if (request.Constraints is not null && request.Configs.Count > 0)
            throw new ArgumentException("--config and --constraints both name what to score: give one of them.");
        if (request.Model is not null && request.Constraints is null)
            throw new ArgumentException($"--model {request.Model} chooses a model of --constraints: give --constraints too.");
        var bundle = SupernetBundle.Load(request.Bundle);
        var spec = bundle.Spec;
        ModelConstraints? model = null;
        var named = new List<Subnet>();
        if (request.Constraints is string constraintsPath)
        {
            var document = ConstraintsReader.Parse(File.ReadAllText(constraintsPath), constraintsPath);
            model = TargetPicks.Model(document, constraintsPath, request.Model, bundle.Manifest.Id);
            named.AddRange(TargetPicks.For(bundle, model).Select(p => new Subnet(p.Target, p.Config, p.PredictedAccuracy)));
        }
        else
        {
            foreach (string text in request.Configs.Count == 0 ? ReferenceSubnets.Names : request.Configs)
            {
                if (!ReferenceSubnets.TryResolve(spec, text, out var config, out string? error)) throw new ArgumentException("--config " + error);
                if (!named.Any(n => n.Config.Equals(config))) named.Add(new Subnet(ReferenceSubnets.NameOf(spec, config!), config!, null));
            }
        }

        var (splits, seed, validation) = TrainedSplit.Load(bundle, request.Data, request.Validation, request.Seed);
        var calibration = request.Calibration is int n ? splits.Validation.Take(n) : BundleRecalibrator.Calibration(bundle);
        int start = request.Offset ?? calibration.Count;
        // Scoring the images BN was just recalibrated on flatters the figure (the trainer's per-epoch line once did).
        if (start < calibration.Count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--offset {start} would score images BN is recalibrated on (the first {calibration.Count}); pass --offset {calibration.Count} or more."));
        if (start >= splits.Validation.Count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The validation split has {splits.Validation.Count} images and scoring would start at {start}: lower --calibration or --offset, or use the run's larger --validation."));
        var scored = splits.Validation.Subset(BatchMaker.Range(start, Math.Min(request.Images, splits.Validation.Count - start)));
        string source = request.Calibration is null ? "the bundle's " + calibration.Count.ToString(CultureInfo.InvariantCulture) + " calibration images" : $"validation images 0–{calibration.Count - 1}";
        log(string.Create(CultureInfo.InvariantCulture,
            $"{bundle.Manifest.Id} {bundle.Manifest.Version}: BN recalibrated on {source}, scored on validation images {start}–{start + scored.Count - 1} ({scored.Count} images, seed {seed})"));

        // The other bundle is checked before anything is scored: same space, same split, calibration not among the scored images.
        SupernetBundle? otherBundle = null;
        ImageSet? otherCalibration = null;
        if (request.Against is string againstFolder)
        {
            otherBundle = SupernetBundle.Load(againstFolder);
            if (otherBundle.Spec.Space.Family != spec.Space.Family || otherBundle.Spec.Stages.Count != spec.Stages.Count)
                throw new ArgumentException($"--against {againstFolder} is {otherBundle.Manifest.Id}, another design space than {bundle.Manifest.Id}'s: compare versions of one supernet.");
            TrainedSplit.Require(otherBundle, splits, validation, seed, request.Data);
            otherCalibration = request.Calibration is null ? BundleRecalibrator.Calibration(otherBundle) : calibration;
            if (otherCalibration.Count > start)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"--against {againstFolder} recalibrates on the first {otherCalibration.Count} validation images, and scoring starts at {start}: pass --offset {otherCalibration.Count} so neither bundle is scored on its own calibration images."));
        }

        // With --constraints the other bundle is scored on what its own predictor picks: what a build of that version would ship.
        var otherConfigs = otherBundle is null ? null
            : model is null ? named.Select(n => n.Config).ToList()
            : TargetPicks.For(otherBundle, model).Select(p => p.Config).ToList();
        var hits = Hits(bundle, calibration, named.Select(n => n.Config).ToList(), scored, device, request.BatchSize);
        var other = otherBundle is null ? null : Hits(otherBundle, otherCalibration!, otherConfigs!, scored, device, request.BatchSize);
        string otherName = otherBundle is null ? "" : $"{otherBundle.Manifest.Id} {otherBundle.Manifest.Version}";

        var scores = new List<Score>();
        for (int i = 0; i < named.Count; i++)
        {
            var (name, config, predicted) = named[i];
            var score = new Score(name, config, hits[i].Count(h => h), scored.Count, other is null ? null : PairedDifference.Of(hits[i], other[i]),
                predicted, otherConfigs?[i]);
            scores.Add(score);
            // The binomial standard error says how far apart two bundles' figures must be to mean anything.
            double se = Math.Sqrt(score.Accuracy * (1 - score.Accuracy) / score.Images) * 100;
            string paired = score.Against is { } d
                ? string.Create(CultureInfo.InvariantCulture, $"  {(d.Difference >= 0 ? "+" : "")}{d.Difference * 100:F2} vs {otherName} (±{d.StandardError * 100:F2} paired; {d.Better} images better, {d.Worse} worse)")
                : "";
            string expected = predicted is double p ? string.Create(CultureInfo.InvariantCulture, $"  predicted {p * 100:F2} %") : "";
            log(string.Create(CultureInfo.InvariantCulture,
                $"{name,-8} {score.Accuracy * 100,6:F2} %  ({score.Correct}/{score.Images}, ±{se:F2}){expected}{paired}  {config}"));
            if (score.AgainstConfig is { } theirs && !theirs.Equals(config)) log($"{"",-8} {otherName} picks {theirs}");
        }
        if (model is not null && scores.Count > 1)
        {
            var mean = other is null ? default : PairedDifference.Mean(hits, other);
            string versus = other is null ? "" : string.Create(CultureInfo.InvariantCulture,
                $", {mean.Difference * 100:+0.00;-0.00} vs {otherName} (±{mean.StandardError * 100:F2} paired over images)");
            log(string.Create(CultureInfo.InvariantCulture, $"mean over {scores.Count} targets of {model.Name}: {scores.Average(s => s.Accuracy) * 100:F2} %{versus}"));
        }
        return scores;
    }

    /// <summary>Per config, per scored image: right or wrong after recalibrating on <paramref name="calibration"/>.</summary>
    private static bool[][] Hits(SupernetBundle bundle, ImageSet calibration, IReadOnlyList<SubnetConfig> configs, ImageSet scored,
        TorchSharp.torch.Device device, int batchSize)
    {
        using var model = BundleRecalibrator.Model(bundle, device);
        var evaluator = new SubnetEvaluator(model, calibration, batchSize);
        return configs.Select(c => evaluator.Correct(c, scored)).ToArray();
    }

    private sealed record Subnet(string Name, SubnetConfig Config, double? Predicted);
}
