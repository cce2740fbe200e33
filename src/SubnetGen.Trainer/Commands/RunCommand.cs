using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;
using SubnetGen.Packaging;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Commands;

/// <summary><c>subnetgen-train run --family compofa --data fashion-mnist --out dir</c>: train, export the bundle, optionally pack it.</summary>
internal static class RunCommand
{
    /// <summary>`--validation`'s default: what the released bundles that do not record their split were trained with.</summary>
    public const int DefaultValidation = 5000;

    public static Command Create()
    {
        var family = new Option<string>("--family") { Description = "ofa, compofa or moofa.", DefaultValueFactory = _ => "compofa" };
        var data = new Option<string>("--data") { Description = "fashion-mnist (auto-found under /usr/share/datasets/fashion-mnist), a folder of Fashion-MNIST IDX files, or an image folder (train/ and test/ with one sub-folder per class, or just class folders).", DefaultValueFactory = _ => "fashion-mnist" };
        var output = new Option<string>("--out") { Description = "Output folder: checkpoint/, bundle/, training-report.md.", Required = true };
        var scale = new Option<double>("--epochs-scale") { Description = "Multiplies every phase's default epochs (docs/training.md).", DefaultValueFactory = _ => 1.0 };
        var phaseEpochs = new Option<string?>("--phase-epochs") { Description = "Exact epochs per phase, e.g. teacher=6,compound=5 (overrides --epochs-scale for those phases)." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Teacher-phase learning rate (cosine decay per phase).", DefaultValueFactory = _ => 0.1 };
        var shrinkLr = new Option<double>("--shrink-lr") { Description = "Learning rate of the shrinking phases.", DefaultValueFactory = _ => 0.03 };
        var phaseLr = new Option<string?>("--phase-lr")
        {
            Description = "Learning rates of named phases over --lr and --shrink-lr, e.g. depth-34=0.0025,expand-346=0.0075; \"ofa\" is OFA's own " +
                "(kernel 0.03, depth-34 and expand-46 0.0025, depth-234 and expand-346 0.0075) and may be followed by pairs that replace some of them.",
        };
        var phaseSubnets = new Option<string?>("--phase-subnets")
        {
            Description = "Sampled subnets per step of named shrinking phases, e.g. finetune=1 (defaults: kernel 1, depth 2, expand and finetune 4, compound 2; the sandwich rule's come on top).",
        };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when torch.cuda.is_available()), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var resume = new Option<bool>("--resume") { Description = "Continue from <out>/checkpoint; same result as an uninterrupted run (with no checkpoint there, a fresh run)." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Start afresh although <out> holds an earlier run's checkpoint, replacing it and its teacher (refused without it)." };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Use only N training images (smoke runs): the first N of Fashion-MNIST, N evenly spread over an image folder's classes." };
        var testLimit = new Option<int?>("--test-limit") { Description = "Report accuracy on N test images only (the first N of Fashion-MNIST, N evenly spread over an image folder's classes)." };
        var validation = new Option<int>("--validation") { Description = "Images held out of train for calibration and the predictor.", DefaultValueFactory = _ => DefaultValidation };
        var calibration = new Option<int>("--calibration") { Description = "Calibration images (from the validation split) for BN recalibration, shipped in the bundle.", DefaultValueFactory = _ => 2000 };
        var predictorImages = new Option<int>("--predictor-images") { Description = "Validation images each predictor config is evaluated on.", DefaultValueFactory = _ => 3000 };
        var predictorSubnets = new Option<int>("--predictor-subnets") { Description = "Subnets measured for the MLP predictor (spaces over 1000 configs).", DefaultValueFactory = _ => 1000 };
        var predictor = new Option<string>("--predictor")
        {
            Description = "Predictor fitted on the measured subnets (spaces over 1000 configs): auto (cross-validate both, keep the higher Kendall tau), mlp (OFA's) or linear (ridge).",
            DefaultValueFactory = _ => "auto",
        };
        var version = new Option<string?>("--version")
        {
            Description = "Bundle/package version [default: 1.0.0-<UTC yyyyMMddHHmmss> of the run's start, unique to the run: NuGet caches a package by id and version, " +
                "so a retrained supernet packed under a version used before would be shadowed by the old one wherever that was restored].",
        };
        var pack = new Option<string?>("--pack") { Description = "After export, pack the bundle into this feed folder." };
        var channels = new Option<string>("--channels") { Description = "Image folders: auto (3 when any image has colour, else 1), 1 (grey) or 3 (RGB).", DefaultValueFactory = _ => "auto" };
        var size = new Option<string>("--size")
        {
            Description = $"Image folders: the model's input, N (N×N) or HxW, {DefaultSupernets.MinInputSize}–{DefaultSupernets.MaxInputSize} a side; auto: the images' median shorter side, at most {FolderOptions.DefaultMaxSide}.",
            DefaultValueFactory = _ => "auto",
        };
        var resolutions = new Option<string>("--resolutions")
        {
            Description = "Elastic input resolutions, the input's shorter side in pixels, trained and searched with the architecture: a comma list up to the training size, or auto (s, 7/8 s and 3/4 s for inputs of 32 px or more; the input size alone below).",
            DefaultValueFactory = _ => "auto",
        };
        var widthMultiplier = new Option<double>("--width-multiplier") { Description = "Multiplies every width of the supernet (0.25–4; docs/design-spaces.md).", DefaultValueFactory = _ => 1.0 };
        var augment = new Option<string>("--augment")
        {
            Description = "Training augmentation: default (Fashion-MNIST: shift,flip; image folders: crop,flip), none, or a list of shift (fixed-size images), crop (image folders: random resized crop) and flip. Leave out flip for digits or text.",
            DefaultValueFactory = _ => "default",
        };
        var quick = new Option<bool>("--quick")
        {
            Description = $"A short schedule to try the path in minutes: the teacher about {QuickSchedule.TeacherSteps} SGD steps, every shrinking phase about {QuickSchedule.PhaseSteps} (whole epochs), at most {QuickSchedule.Images} calibration and predictor images and {QuickSchedule.PredictorSubnets} predictor subnets (--phase-epochs and smaller values still apply). Far from the accuracy of the default schedule.",
        };
        var memoryFormat = new Option<string>("--memory-format")
        {
            Description = "Feature-map layout of the SGD steps: contiguous (reproducible bit for bit) or channels-last (about 30% faster on CPU, `measure` compares; results depend on thread count; refused before the first step where libtorch's channels-last kernels compute another step than the contiguous ones).",
            DefaultValueFactory = _ => "contiguous",
        };

        var sandwich = new Option<string>("--sandwich")
        {
            Description = "Sandwich rule: subnets every step of the shrinking phases trains besides the sampled ones: none (the default), largest (also the largest subnet; what a bare --sandwich means) " +
                "or full (the largest and the phase's smallest). Each adds a forward/backward per step; docs/training.md has what they measured.",
            Arity = ArgumentArity.ZeroOrOne,
            // A bare --sandwich means the largest-only rule, as the older boolean flag did; no option at all is none
            // (System.CommandLine would use a default value factory for the bare flag too, so there is none).
            CustomParser = result => result.Tokens.Count == 0 ? "largest" : result.Tokens[0].Value,
        };

        var init = new Option<string?>("--init")
        {
            Description = "Start from these weights instead of random ones. A trained bundle folder (same --family, --data, --validation and --seed as its run): " +
                "only the finetune phase trains (1 epoch, the whole space, no channel re-sort) unless --phase-epochs says otherwise. " +
                "A network file, such as a run's checkpoint/teacher.safetensors: every phase but the teacher's trains, shrinking from that network.",
        };
        var teacher = new Option<string?>("--teacher") { Description = "Distil from this network's largest subnet: a run's checkpoint/teacher.safetensors or a bundle folder [default: the network as distillation begins]." };

        var command = new Command("run", "Train a supernet (teacher → progressive shrinking), recalibrate BN, fit the predictor and write the bundle.")
        {
            family, data, output, scale, phaseEpochs, batch, lr, shrinkLr, phaseLr, phaseSubnets, seed, threads, device, resume, overwrite, trainLimit, testLimit,
            validation, calibration, predictorImages, predictorSubnets, predictor, version, pack, channels, size, resolutions, widthMultiplier, augment, quick, memoryFormat, sandwich, init, teacher,
        };
        command.SetAction(parse => Cli.Run(() =>
        {
            var options = new TrainOptions
            {
                Family = ParseFamily(parse.GetValue(family)!),
                Data = parse.GetValue(data)!,
                Output = parse.GetValue(output)!,
                EpochsScale = parse.GetValue(scale),
                PhaseEpochs = Schedule.ParseOverrides(parse.GetValue(phaseEpochs)),
                BatchSize = parse.GetValue(batch),
                TeacherLearningRate = parse.GetValue(lr),
                ShrinkLearningRate = parse.GetValue(shrinkLr),
                PhaseLearningRates = Schedule.ParseLearningRates(parse.GetValue(phaseLr)),
                PhaseSubnets = Schedule.ParseOverrides(parse.GetValue(phaseSubnets), "subnets"),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Device = parse.GetValue(device)!,
                Resume = parse.GetValue(resume),
                Overwrite = parse.GetValue(overwrite),
                TrainLimit = parse.GetValue(trainLimit),
                TestLimit = parse.GetValue(testLimit),
                ValidationCount = parse.GetValue(validation),
                CalibrationCount = parse.GetValue(calibration),
                PredictorImages = parse.GetValue(predictorImages),
                PredictorSubnets = parse.GetValue(predictorSubnets),
                Predictor = PredictorKinds.Parse(parse.GetValue(predictor)!),
                Version = parse.GetValue(version) ?? UniqueVersion(DateTime.UtcNow),
                Folder = FolderOptionsFrom(parse.GetValue(channels)!, parse.GetValue(size)!),
                WidthMultiplier = parse.GetValue(widthMultiplier),
                Resolutions = FolderOptions.ParseResolutions(parse.GetValue(resolutions)!),
                Augment = parse.GetValue(augment)!,
                Quick = parse.GetValue(quick),
                MemoryFormat = MemoryFormats.Parse(parse.GetValue(memoryFormat)!),
                Sandwich = SandwichRules.Parse(parse.GetValue(sandwich) ?? "none"),
                Init = parse.GetValue(init),
                Teacher = parse.GetValue(teacher),
            };
            // Checked now, not when the bundle is packed or loaded hours from now.
            if (!NuGet.Versioning.NuGetVersion.TryParse(options.Version, out _))
                throw new ArgumentException($"--version {options.Version} is not a NuGet version: write e.g. 1.2.0.");
            if (options.Resume && options.Overwrite)
                throw new ArgumentException("--resume continues the run in --out and --overwrite replaces it: pass one of them.");
            if (options.PredictorSubnets < 2 * PredictorTrainer.DefaultFolds)
                throw new ArgumentException($"--predictor-subnets {options.PredictorSubnets}: the predictor is cross-validated in {PredictorTrainer.DefaultFolds} folds and needs at least {2 * PredictorTrainer.DefaultFolds} measured subnets.");
            if (parse.GetValue(version) is null)
                Console.WriteLine($"Version {options.Version}: unique to this run (--version sets one).");
            var result = Pipeline.Run(options, SpectreProgress.Interactive ? null : new PlainProgress(Console.Out), parse.GetValue(pack));
            Console.WriteLine($"Bundle: {result.BundleFolder}  report: {result.ReportPath}");
            var manifest = SupernetManifest.Read(Path.Combine(result.BundleFolder, "supernet.json"));
            if (parse.GetValue(pack) is string feed)
            {
                var info = SupernetPackageWriter.Write(result.BundleFolder, Path.GetFullPath(feed));
                Console.WriteLine($"Packed {info.Id} {info.Version} → {info.PackagePath}");
            }
            else
            {
                Console.WriteLine($"Pack it with `subnetgen-train pack {result.BundleFolder} -o <feed>`.");
            }
            Console.WriteLine(SupernetPackageInfo.ConstraintsHint(manifest.Id, manifest.Version));
            return 0;
        }));
        return command;
    }

    private static FolderOptions FolderOptionsFrom(string channels, string size)
    {
        var (height, width) = FolderOptions.ParseSize(size);
        return new FolderOptions(FolderOptions.ParseChannels(channels), height, width);
    }

    /// <summary>
    /// The version of a run given no --version: <c>1.0.0-20261204103000</c>, the UTC start to the second. Prerelease, so a
    /// build must name it exactly (constraints.json's versions are exact anyway), and later runs sort after earlier ones.
    /// </summary>
    public static string UniqueVersion(DateTime utc) => "1.0.0-" + utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    public static Family ParseFamily(string text) =>
        FormatNames.TryParseFamily(text.ToLowerInvariant(), out var family) ? family : throw new ArgumentException($"--family {text}: use ofa, compofa or moofa.");
}

/// <summary>Load data → train → export, the whole `run`.</summary>
internal static class Pipeline
{
    /// <param name="plain">null: Spectre progress bar; otherwise these plain lines.</param>
    /// <param name="feed">The <c>--pack</c> feed folder, checked before training for a package the export could not be packed beside.</param>
    public static ExportResult Run(TrainOptions options, ITrainingProgress? plain, string? feed = null)
    {
        var device = TorchDevice.Select(options.Device, options.Threads);
        var splits = DataSource.Load(options.Data, options.ValidationCount, options.Seed, options.Folder, out string? classes);
        if (feed is not null) RefuseVersionInFeed(feed, BundleExporter.PackageId(options.Family, splits.Name), options.Version);
        if (options.TrainLimit is int limit) splits = splits with { Train = splits.Train.Limit(limit) };
        if (options.Quick) options = QuickSchedule.Apply(options, splits.Train.Count);
        var spec = DataSource.Spec(options.Family, splits, options.WidthMultiplier, options.Resolutions);
        var start = options.Init is string init ? StartingPoint.Load(init, options, splits) : null;
        var run = new TrainingRun(options, splits, spec, device, start);
        string deviceName = device.type.ToString().ToLowerInvariant();
        Func<ITrainingProgress, ExportResult> body = progress =>
        {
            progress.Message(string.Create(CultureInfo.InvariantCulture,
                $"{FormatNames.DisplayName(options.Family)} on {splits.Name}: {splits.Train.Count} train / {splits.Validation.Count} validation / {splits.Test.Count} test images, device {deviceName}, {options.Threads} thread(s)"));
            if (classes is not null)
                progress.Message(string.Create(CultureInfo.InvariantCulture,
                    $"{classes}. Input {spec.Input.Height}×{spec.Input.Width}×{spec.Input.Channels}, stem stride {spec.Stem.Stride}, stage strides {string.Join("/", spec.Stages.Select(s => s.Stride))}") +
                    (spec.Space.Resolutions is { } list ? ", resolutions " + string.Join("/", list) + "." : "."));
            var trained = run.Phases.Where(p => p.Epochs > 0).ToArray();
            progress.Message(trained.Length == 0 ? "Schedule: every phase has 0 epochs, so the run only exports."
                : string.Create(CultureInfo.InvariantCulture, $"Schedule: {string.Join(", ", trained.Select(p => p.Describe()))}; learning rate {string.Join(", ", trained.Select(p => $"{p.Name} {p.LearningRate}"))}"));
            var training = run.Execute(progress);
            if (!training.Finished) throw new OperationCanceledException("Stopped before the schedule finished; run again with --resume.");
            return BundleExporter.Export(training.Model, options, splits, training, deviceName, progress, start, TorchDevice.DescribeMachine(device, options.Threads));
        };
        return plain is null ? SpectreProgress.Run(body) : body(plain);
    }

    /// <summary>
    /// Before hours of training, not after: the pack at the end refuses a version the feed already has (SNG2031),
    /// unless the content is the same, which only a finished run exported again can give.
    /// </summary>
    private static void RefuseVersionInFeed(string feed, string id, string version)
    {
        string existing = SupernetPackageWriter.PackagePath(Path.GetFullPath(feed), id, NuGet.Versioning.NuGetVersion.Parse(version));
        if (File.Exists(existing))
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.PackageVersionExists,
                $"{existing} already exists, so this run's bundle could not be packed under {id} {version}.", existing, 0, 0,
                "give the run a new --version, or leave out --pack and pack the bundle later with `subnetgen-train pack`."));
    }
}
