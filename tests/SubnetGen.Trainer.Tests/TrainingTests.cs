using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.Packaging;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

public sealed class TrainingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-train-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private TrainOptions Options(string name, Dictionary<string, int>? epochs) => new()
    {
        Family = Family.CompOfa,
        Output = Path.Combine(_folder, name),
        PhaseEpochs = epochs,
        BatchSize = 32,
        TeacherLearningRate = 0.05,
        ShrinkLearningRate = 0.02,
        CalibrationCount = 100,
        PredictorImages = 100,
        EvaluationBatchSize = 100,
        Seed = 7,
    };


    [Fact]
    public void FewSteps_OnRealImages_LossGoesDown()
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 320);
        var options = Options("smoke", new() { ["teacher"] = 4, ["compound"] = 1 });
        var progress = new RecordingProgress();
        var result = new TrainingRun(options, data, TestData.Tiny(Family.CompOfa), CPU).Execute(progress);
        Assert.True(result.Finished);
        var losses = result.Position.History.Select(TrainLoss).ToArray();
        Assert.Equal(5, losses.Length);
        Assert.True(losses[3] < losses[0] * 0.8, "teacher loss should fall: " + string.Join(", ", losses));
        Assert.True(File.Exists(Path.Combine(options.Output, "checkpoint", Checkpoint.FileName)));
        Assert.Contains(progress.Steps, s => s.Done == s.Total);
    }

    [Fact]
    public void Resume_FromACheckpoint_EqualsTheUninterruptedRun()
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 64);
        var spec = TestData.Tiny(Family.CompOfa);
        var epochs = new Dictionary<string, int> { ["teacher"] = 1, ["compound"] = 2 };

        var straight = Options("straight", epochs);
        var whole = new TrainingRun(straight, data, spec, CPU).Execute(new RecordingProgress());

        var split = Options("split", epochs) with { StopAfterEpochs = 2 };
        var first = new TrainingRun(split, data, spec, CPU).Execute(new RecordingProgress());
        Assert.False(first.Finished);
        var resumed = new TrainingRun(split with { StopAfterEpochs = null, Resume = true }, data, spec, CPU).Execute(new RecordingProgress());
        Assert.True(resumed.Finished);

        var a = SupernetState.Export(whole.Model);
        var b = SupernetState.Export(resumed.Model);
        Assert.Equal(a.Keys, b.Keys);
        var diffs = a.Keys.Select(n => (Name: n, Max: a[n].Data.Zip(b[n].Data, (x, y) => Math.Abs(x - y)).Max())).Where(d => d.Max > 0).ToList();
        Assert.True(diffs.Count == 0, $"{diffs.Count} tensors differ after resume, e.g. " + string.Join("; ", diffs.Take(5).Select(d => $"{d.Name} {d.Max:G3}")));
        Assert.Equal(whole.Position.History.Select(TrainLoss), resumed.Position.History.Select(TrainLoss));
    }

    [Fact]
    public void Resume_WithAnotherMemoryFormat_IsRefused()
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 64);
        var spec = TestData.Tiny(Family.CompOfa);
        // Contiguous first: a channels-last start is itself refused where libtorch's channels-last kernels are wrong (LayoutCheck).
        var split = Options("layout", new() { ["teacher"] = 2, ["compound"] = 1 }) with { StopAfterEpochs = 1, MemoryFormat = MemoryFormat.Contiguous };
        Assert.False(new TrainingRun(split, data, spec, CPU).Execute(new RecordingProgress()).Finished);
        var resume = split with { StopAfterEpochs = null, Resume = true, MemoryFormat = MemoryFormat.ChannelsLast };
        var error = Assert.Throws<InvalidOperationException>(() => new TrainingRun(resume, data, spec, CPU).Execute(new RecordingProgress()));
        Assert.Contains("was written with --memory-format contiguous", error.Message);
    }

    /// <summary>A tiny CompOFA run (teacher 1 epoch, compound 2) stopped after its teacher, and the options that ran it.</summary>
    private (DatasetSplits Data, SupernetSpec Spec, TrainOptions Options) StoppedAfterTheTeacher(string name)
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 64);
        var spec = TestData.Tiny(Family.CompOfa);
        var options = Options(name, new() { ["teacher"] = 1, ["compound"] = 2 }) with { StopAfterEpochs = 1 };
        Assert.False(new TrainingRun(options, data, spec, CPU).Execute(new RecordingProgress()).Finished);
        return (data, spec, options);
    }

    [Fact]
    public void Sandwich_CanBeChosenAfterTheTeacher_ButNotChangedOnceShrinkingBegan()
    {
        var (data, spec, teacherOnly) = StoppedAfterTheTeacher("sandwich");

        // A finished teacher (written without the rule) may go on with it; the checkpoint then records the choice.
        var sandwich = teacherOnly with { Resume = true, Sandwich = SandwichRule.Full };
        Assert.False(new TrainingRun(sandwich, data, spec, CPU).Execute(new RecordingProgress()).Finished);
        var run = new TrainingRun(sandwich, data, spec, CPU);
        Assert.Equal(SandwichRule.Full, Checkpoint.Load(run.CheckpointPath).Numerics.Sandwich);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new TrainingRun(sandwich with { Sandwich = SandwichRule.Largest, StopAfterEpochs = null }, data, spec, CPU).Execute(new RecordingProgress()));
        Assert.Contains("with --sandwich full (now largest)", error.Message);
        var finished = new TrainingRun(sandwich with { StopAfterEpochs = null }, data, spec, CPU).Execute(new RecordingProgress());
        Assert.True(finished.Finished);
        Assert.Equal(3, finished.Position.History.Count);
    }

    [Fact]
    public void Resume_refuses_options_that_change_a_begun_phase_and_takes_new_ones_for_a_phase_not_begun()
    {
        var (data, spec, teacherOnly) = StoppedAfterTheTeacher("plan");

        // The compound phase has not begun: its rate and subnets per step may change, and the run says so.
        var replanned = teacherOnly with { Resume = true, PhaseLearningRates = new Dictionary<string, double> { ["compound"] = 0.01 } };
        var progress = new RecordingProgress();
        Assert.False(new TrainingRun(replanned, data, spec, CPU).Execute(progress).Finished);
        Assert.Contains(progress.Messages, m => m.StartsWith("Phase not yet begun, now planned as compound 2 ep × 2 at lr 0.01", StringComparison.Ordinal));

        // Now it has: resuming it at the rate it was first planned with, or with another seed, is refused, naming what to pass.
        var error = Assert.Throws<InvalidOperationException>(() =>
            new TrainingRun(teacherOnly with { Resume = true, StopAfterEpochs = null }, data, spec, CPU).Execute(new RecordingProgress()));
        Assert.Contains("phase compound trained with learning rate 0.01 (now 0.02): --phase-lr compound=0.01", error.Message);
        error = Assert.Throws<InvalidOperationException>(() =>
            new TrainingRun(replanned with { Seed = 8, StopAfterEpochs = null }, data, spec, CPU).Execute(new RecordingProgress()));
        Assert.Contains("--seed 7 (now 8)", error.Message);
        error = Assert.Throws<InvalidOperationException>(() =>
            new TrainingRun(replanned with { StopAfterEpochs = null }, TestData.Small(train: 32), spec, CPU).Execute(new RecordingProgress()));
        Assert.Contains(": 32 train / ", error.Message); // another --train-limit: other images
        Assert.True(new TrainingRun(replanned with { StopAfterEpochs = null }, data, spec, CPU).Execute(new RecordingProgress()).Finished);
    }

    [Fact]
    public void A_start_without_resume_over_a_checkpoint_is_refused_and_resume_without_one_starts_afresh()
    {
        var (data, spec, teacherOnly) = StoppedAfterTheTeacher("forgotten");
        var before = File.ReadAllBytes(new TrainingRun(teacherOnly, data, spec, CPU).CheckpointPath);
        var error = Assert.Throws<InvalidOperationException>(() => new TrainingRun(teacherOnly, data, spec, CPU).Execute(new RecordingProgress()));
        Assert.Contains("holds the checkpoint of an earlier run (phase teacher, 1 epoch(s) of it done): continue it with --resume", error.Message);
        Assert.Equal(before, File.ReadAllBytes(new TrainingRun(teacherOnly, data, spec, CPU).CheckpointPath));

        var progress = new RecordingProgress();
        Assert.False(new TrainingRun(teacherOnly with { Output = Path.Combine(_folder, "empty"), Resume = true }, data, spec, CPU).Execute(progress).Finished);
        Assert.Contains(progress.Messages, m => m.StartsWith("No checkpoint at ", StringComparison.Ordinal) && m.EndsWith(": --resume starts a fresh run.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("true", "largest")]   // older checkpoints wrote the largest-only rule as a boolean
    [InlineData("false", "none")]
    [InlineData("full", "full")]
    public void Checkpoints_read_the_sandwich_rule_old_and_new(string written, string expected)
    {
        string path = Path.Combine(_folder, "sandwich-" + written, Checkpoint.FileName);
        Checkpoint.Save(path, new Dictionary<string, WeightTensor>(), new Dictionary<string, WeightTensor>(),
            new RunPosition(1, 0, 0, Array.Empty<string>()), new RunNumerics(MemoryFormat.Contiguous, 2));
        var content = Safetensors.Read(path);
        var metadata = new Dictionary<string, string>(content.Metadata, StringComparer.Ordinal) { ["sandwich"] = written };
        Checkpoint.WriteAtomically(path, Safetensors.ToBytes(content.Tensors, metadata));
        Assert.Equal(expected, SandwichRules.Name(Checkpoint.Load(path).Numerics.Sandwich));
    }

    [Fact]
    public void Resume_PastTheStartOfDistillation_WithoutTheTeacher_IsRefused()
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 64);
        var spec = TestData.Tiny(Family.CompOfa);
        var split = Options("teacher", new() { ["teacher"] = 1, ["compound"] = 2 }) with { StopAfterEpochs = 2 };
        Assert.False(new TrainingRun(split, data, spec, CPU).Execute(new RecordingProgress()).Finished);
        var run = new TrainingRun(split with { StopAfterEpochs = null, Resume = true }, data, spec, CPU);
        File.Delete(run.TeacherPath); // a run folder moved without it

        var error = Assert.Throws<InvalidOperationException>(() => run.Execute(new RecordingProgress()));
        Assert.Contains(Checkpoint.TeacherFileName, error.Message);
        Assert.Contains("compound", error.Message);
    }

    [Fact]
    public void A_fresh_start_never_distils_from_a_teacher_an_earlier_run_left_in_its_folder()
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 64);
        var spec = TestData.Tiny(Family.CompOfa);
        var clean = Options("clean", new() { ["teacher"] = 1, ["compound"] = 1 });
        var reference = new TrainingRun(clean, data, spec, CPU).Execute(new RecordingProgress());

        // The folder of an earlier, different run: its teacher is another network.
        var reused = clean with { Output = Path.Combine(_folder, "reused") };
        var earlier = new TrainingRun(reused with { Seed = 8 }, data, spec, CPU);
        earlier.Execute(new RecordingProgress());
        var stale = File.ReadAllBytes(earlier.TeacherPath);
        // Without --overwrite a fresh start over an earlier run's checkpoint is refused, and nothing is touched.
        var refusal = Assert.Throws<InvalidOperationException>(() => new TrainingRun(reused, data, spec, CPU).Execute(new RecordingProgress()));
        Assert.Contains("holds the checkpoint of an earlier run (training finished): continue it with --resume, start afresh with --overwrite", refusal.Message);
        Assert.Equal(stale, File.ReadAllBytes(earlier.TeacherPath));
        var progress = new RecordingProgress();
        var run = new TrainingRun(reused with { Overwrite = true }, data, spec, CPU);
        var result = run.Execute(progress);

        Assert.Contains(progress.Messages, m => m.StartsWith("Removed ", StringComparison.Ordinal) && m.Contains(Checkpoint.TeacherFileName));
        Assert.NotEqual(stale, File.ReadAllBytes(run.TeacherPath));
        Assert.Equal(File.ReadAllBytes(new TrainingRun(clean, data, spec, CPU).TeacherPath), File.ReadAllBytes(run.TeacherPath));
        var expected = SupernetState.Export(reference.Model);
        foreach (var (name, tensor) in SupernetState.Export(result.Model)) Assert.True(tensor.Data.SequenceEqual(expected[name].Data), name);
    }

    [Fact]
    public void Export_WritesALoadableBundle_AndPackRoundTrips()
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 128);
        var spec = TestData.Tiny(Family.CompOfa);
        var options = Options("export", new() { ["teacher"] = 1, ["compound"] = 1 });
        var training = new TrainingRun(options, data, spec, CPU).Execute(new RecordingProgress());
        var export = BundleExporter.Export(training.Model, options, data, training, "cpu", new RecordingProgress());

        var bundle = SupernetBundle.Load(export.BundleFolder);
        Assert.Equal("SubnetGen.Supernet.FashionMnist.CompOFA", bundle.Manifest.Id);
        Assert.True(bundle.Manifest.Trained);
        Assert.Equal(PredictorFile.TableKind, bundle.Predictor.Kind);
        Assert.Equal(spec.Space.Enumerate(2).Select(c => c.ToString()).OrderBy(s => s, StringComparer.Ordinal), bundle.Predictor.Entries!.Keys);
        Assert.Equal(100, bundle.Calibration.Count);
        Assert.True(data.Validation.Pixels.AsSpan(0, 100 * 784).SequenceEqual(bundle.Calibration.Images));
        var state = SupernetState.Export(training.Model);
        foreach (var (name, tensor) in state) Assert.True(tensor.Data.SequenceEqual(bundle.Tensors[name].Data), name);
        Assert.InRange(bundle.Manifest.Accuracy.Largest!.Value, 0.0, 1.0);

        var info = SupernetPackageWriter.Write(export.BundleFolder, Path.Combine(_folder, "feed"));
        using var zip = ZipFile.OpenRead(info.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var file in SupernetBundle.FileNames) Assert.Contains("supernet/" + file, entries);
        var packedWeights = zip.GetEntry("supernet/weights.safetensors")!;
        using var stream = packedWeights.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(File.ReadAllBytes(Path.Combine(export.BundleFolder, SupernetBundle.WeightsFileName)), copy.ToArray());

        // The package README carries the training report written beside the bundle (its epoch lines included).
        using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
        string readmeText = readme.ReadToEnd();
        Assert.Contains("## Training report", readmeText);
        string firstEpoch = File.ReadAllLines(export.ReportPath).First(l => l.StartsWith("- ", StringComparison.Ordinal));
        Assert.Contains(firstEpoch, readmeText);
    }

    [Fact]
    public void Export_of_an_mlp_predictor_resumes_from_the_subnets_it_already_measured()
    {
        var (options, data, spec, training) = TinyOfaRun("mlp", seed: 7);
        var first = BundleExporter.Export(training.Model, options, data, training, "cpu", new RecordingProgress());
        Assert.Equal(PredictorFile.MlpKind, first.Predictor.Kind);
        string dataPath = Path.Combine(options.Output, PredictorSamples.FileName);
        string predictorPath = Path.Combine(first.BundleFolder, PredictorFile.FileName);
        var lines = File.ReadAllLines(dataPath);
        Assert.Equal(1 + 12, lines.Length);
        var predictor = PredictorFile.Read(predictorPath).CreatePredictor(spec);

        // As a kill leaves it: five subnets written, the sixth cut short.
        File.WriteAllText(dataPath, string.Join("\n", lines.Take(6)) + "\n" + lines[6].Substring(0, 8));
        var resumed = new RecordingProgress();
        BundleExporter.Export(training.Model, options, data, training, "cpu", resumed);
        Assert.Contains(resumed.Messages, m => m.StartsWith("Reusing 5 measured subnet(s)", StringComparison.Ordinal));
        Assert.Equal(lines, File.ReadAllLines(dataPath));
        // Same measurements, so the same MLP, up to float rounding: torch's thread count is process-wide and other
        // test classes running beside this one change it, which reorders the GEMM sums of its training.
        var again = PredictorFile.Read(predictorPath).CreatePredictor(spec);
        foreach (var line in lines.Skip(1))
        {
            var config = SubnetConfig.Parse(line.Split('\t')[1]);
            Assert.Equal(predictor.Predict(config), again.Predict(config), 3);
        }

        // Measured another way (fewer validation images): nothing is reused.
        var other = new RecordingProgress();
        BundleExporter.Export(training.Model, options with { PredictorImages = 60 }, data, training, "cpu", other);
        Assert.DoesNotContain(other.Messages, m => m.StartsWith("Reusing", StringComparison.Ordinal));
        Assert.NotEqual(lines[0], File.ReadAllLines(dataPath)[0]);
    }

    [Fact]
    public void Sample_measures_an_exported_bundle_as_its_export_did_and_continues_its_file()
    {
        // Seed 42: TestData's validation split is the one DataSource makes with --validation 5000 --seed 42.
        var (options, data, _, training) = TinyOfaRun("sample", seed: 42);
        var export = BundleExporter.Export(training.Model, options, data, training, "cpu", new RecordingProgress());
        string exported = Path.Combine(options.Output, PredictorSamples.FileName);
        Assert.Equal(exported, Commands.SampleCommand.DefaultOutput(export.BundleFolder));
        var exportedLines = File.ReadAllLines(exported);

        // Into a new file: the export's key (same weights, same measurement), draws and accuracies.
        string fresh = Path.Combine(_folder, "fresh.tsv");
        // The tiny run's provenance records its 200-image slice, so the split it was cut from is named.
        var request = new Commands.SampleCommand.Request(export.BundleFolder, "fashion-mnist", 12, fresh, Validation: 5000, PredictorImages: 100, BatchSize: 100);
        var outcome = Commands.SampleCommand.Run(request, CPU, new RecordingProgress());
        Assert.Equal((12, 12), (outcome.Rows, outcome.Measured));
        var lines = File.ReadAllLines(fresh);
        Assert.Equal(exportedLines[0], lines[0]);
        Assert.Equal(exportedLines.Length, lines.Length);
        for (int i = 1; i < lines.Length; i++)
        {
            var (want, got) = (exportedLines[i].Split('\t'), lines[i].Split('\t'));
            Assert.Equal(want[1], got[1]);
            // One image of 100 at most: BN sums may round differently under another process-wide torch thread count.
            Assert.InRange(double.Parse(got[2], CultureInfo.InvariantCulture) - double.Parse(want[2], CultureInfo.InvariantCulture), -0.0101, 0.0101);
        }

        // Pointed at the export's own file it measures only what is missing.
        var more = Commands.SampleCommand.Run(request with { Output = exported, Subnets = 14 }, CPU, new RecordingProgress());
        Assert.Equal((14, 2), (more.Rows, more.Measured));
        Assert.Equal(exportedLines, File.ReadAllLines(exported).Take(13));

        // Another seed makes another validation split, which may hold images the run trained on: refused.
        var error = Assert.Throws<ArgumentException>(() => Commands.SampleCommand.Run(request with { Seed = 43 }, CPU, new RecordingProgress()));
        Assert.Contains("Pass the run's --validation and --seed", error.Message);
    }

    [Fact]
    public void Paired_difference_counts_images_only_one_side_gets_right_and_its_standard_error_is_mcnemars()
    {
        var mine = new[] { true, true, true, false, false, true, true, true };
        var theirs = new[] { true, false, false, true, false, true, true, true };
        var d = Commands.ValidateCommand.PairedDifference.Of(mine, theirs);
        Assert.Equal((2, 1, 8), (d.Better, d.Worse, d.Images));
        Assert.Equal(1.0 / 8, d.Difference, 12);
        // Per-image differences +1, +1, −1 and five 0s: variance of the mean = (3 − 1²/8) / 8², as sqrt(b + w − (b − w)²/n) / n.
        Assert.Equal(Math.Sqrt(3 - 1.0 / 8) / 8, d.StandardError, 12);
        Assert.Equal(0, Commands.ValidateCommand.PairedDifference.Of(mine, mine).StandardError);

        // The mean over several subnets: for one it is the same figure; two copies of one comparison are not twice the
        // evidence (same error); two opposite ones cancel on every image (zero difference, zero error).
        var one = Commands.ValidateCommand.PairedDifference.Mean(new[] { mine }, new[] { theirs });
        Assert.Equal((d.Difference, d.StandardError), (one.Difference, one.StandardError));
        var twice = Commands.ValidateCommand.PairedDifference.Mean(new[] { mine, mine }, new[] { theirs, theirs });
        Assert.Equal(d.StandardError, twice.StandardError, 12);
        Assert.Equal((0.0, 0.0), Commands.ValidateCommand.PairedDifference.Mean(new[] { mine, theirs }, new[] { theirs, mine }));
        // Per image (+1 + 0)/2, (+1 − 1)/2, … for a second comparison with one better image: the mean of the two differences.
        var other = new[] { true, true, true, true, false, true, true, true };
        var mixed = Commands.ValidateCommand.PairedDifference.Mean(new[] { mine, other }, new[] { theirs, mine });
        Assert.Equal((d.Difference + Commands.ValidateCommand.PairedDifference.Of(other, mine).Difference) / 2, mixed.Difference, 12);
        Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.PairedDifference.Mean(new[] { mine }, new[] { theirs, mine }));
    }

    [Fact]
    public void Validate_scores_subnets_as_the_export_measured_them_and_only_on_the_run_s_split()
    {
        var (options, data, spec, training) = TinyOfaRun("validate", seed: 42);
        var export = BundleExporter.Export(training.Model, options, data, training, "cpu", new RecordingProgress());
        var rows = File.ReadAllLines(Path.Combine(options.Output, PredictorSamples.FileName)).Skip(1).Take(2).Select(l => l.Split('\t')).ToArray();

        // Two of the export's measured subnets, scored on the same 100 images after the 100 calibration ones; the
        // repeated "largest" is scored once.
        var request = new Commands.ValidateCommand.Request(export.BundleFolder, "fashion-mnist", new[] { "largest", rows[0][1], rows[1][1], "LARGEST" },
            Images: 100, Validation: 5000, BatchSize: 100);
        var log = new List<string>();
        var scores = Commands.ValidateCommand.Run(request, CPU, log.Add);
        Assert.Equal(new[] { "largest", "custom", "custom" }, scores.Select(s => s.Name));
        Assert.All(scores, s => Assert.Equal(100, s.Images));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(rows[i][1], scores[i + 1].Config.ToString());
            // One image of 100 at most: BN sums may round differently under another process-wide torch thread count.
            Assert.InRange(scores[i + 1].Accuracy - double.Parse(rows[i][2], CultureInfo.InvariantCulture), -0.0101, 0.0101);
        }
        Assert.Contains(log, l => l.Contains("scored on validation images 100–199", StringComparison.Ordinal));

        // By default smallest, middle and largest; the bundle's calibration images are the first 100 of the split,
        // so --calibration 100 recalibrates on the same images and scores the same.
        var defaults = Commands.ValidateCommand.Run(request with { Configs = Array.Empty<string>() }, CPU, _ => { });
        Assert.Equal(ReferenceSubnets.Names, defaults.Select(s => s.Name));
        Assert.Equal(scores[0].Correct, defaults[2].Correct);
        var same = Commands.ValidateCommand.Run(request with { Configs = new[] { "largest" }, Calibration = 100 }, CPU, _ => { });
        Assert.Equal(scores[0].Correct, same[0].Correct);

        // --against: the same bundle with its classifier pushed towards class 0. The paired counts are exactly the two
        // bundles' own scores apart, and a bundle against itself differs on no image.
        var bundle = SupernetBundle.Load(export.BundleFolder);
        var tensors = bundle.Tensors.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var bias = tensors["head.classifier.bias"].Data.ToArray();
        bias[0] += 3;
        tensors["head.classifier.bias"] = new WeightTensor(new[] { bias.Length }, bias);
        string pushed = Path.Combine(_folder, "pushed");
        new SupernetBundle(bundle.Manifest with { Version = "1.0.1" }, tensors, bundle.Predictor, bundle.Calibration, bundle.BatchNormStatistics).Save(pushed);
        var alone = Commands.ValidateCommand.Run(request with { Bundle = pushed, Configs = Array.Empty<string>() }, CPU, _ => { });
        var paired = new List<string>();
        var compared = Commands.ValidateCommand.Run(request with { Configs = Array.Empty<string>(), Against = pushed }, CPU, paired.Add);
        for (int i = 0; i < 3; i++)
        {
            var d = compared[i].Against!;
            Assert.Equal(defaults[i].Correct, compared[i].Correct);
            Assert.Equal(compared[i].Correct - alone[i].Correct, d.Better - d.Worse);
            Assert.Equal(100, d.Images);
        }
        Assert.Contains(compared, c => c.Against!.Better + c.Against.Worse > 0);
        Assert.Contains(paired, l => l.Contains("vs SubnetGen.Supernet.FashionMnist.OFA 1.0.1 (±", StringComparison.Ordinal));
        Assert.All(Commands.ValidateCommand.Run(request with { Configs = new[] { "largest" }, Against = export.BundleFolder }, CPU, _ => { }),
            s => Assert.Equal((0, 0), (s.Against!.Better, s.Against.Worse)));

        // --constraints: what the build's search picks for each target, by the bundle's own predictor. A budget only the
        // smallest subnet meets picks it; where everything fits, the pick is the predictor's favourite, within the
        // resolution the build searches a fitted predictor at (its cross-validated RMSE).
        Assert.True(ReferenceSubnets.TryResolve(bundle.Spec, "smallest", out var smallest, out _));
        long smallestMacs = CostModel.Measure(GraphBuilder.Build(bundle.Spec, smallest!)).Macs;
        string constraints = Path.Combine(_folder, "constraints.json");
        File.WriteAllText(constraints, "{\"models\": [{\"name\": \"Fashion\", \"supernet\": {\"id\": \"" + bundle.Manifest.Id + "\", \"version\": \"9.9.9\"},"
            + " \"targets\": {\"default\": {\"maxMacs\": 1000000000}, \"tight\": {\"maxMacs\": " + smallestMacs.ToString(CultureInfo.InvariantCulture) + "}}}]}");
        var byTarget = request with { Configs = Array.Empty<string>(), Constraints = constraints };
        var pickLog = new List<string>();
        var picks = Commands.ValidateCommand.Run(byTarget, CPU, pickLog.Add);
        Assert.Equal(new[] { "default", "tight" }, picks.Select(p => p.Name));
        Assert.Equal(smallest, picks[1].Config);
        var predictor = bundle.Predictor.CreatePredictor(bundle.Spec);
        double resolution = bundle.Predictor.SearchOptions.PredictorResolution;
        foreach (var other in defaults.Select(d => d.Config).Concat(rows.Select(r => SubnetConfig.Parse(r[1]))))
            Assert.True(picks[0].Predicted >= predictor.Predict(other) - resolution, $"{other} is predicted more than {resolution} above the pick {picks[0].Config}");
        var direct = Commands.ValidateCommand.Run(request with { Configs = picks.Select(p => p.Config.ToString()).ToArray() }, CPU, _ => { });
        Assert.Equal(direct.Select(d => d.Correct), picks.Select(p => p.Correct));
        Assert.Contains(pickLog, l => l.StartsWith("mean over 2 targets of Fashion: ", StringComparison.Ordinal));

        // --against with --constraints scores the other bundle's own picks: here the same weights with a predictor that
        // ranks every subnet the other way round, so it takes another subnet where everything fits and the same where one does.
        string reversed = Path.Combine(_folder, "reversed");
        new SupernetBundle(bundle.Manifest with { Version = "1.0.2" }, bundle.Tensors,
            bundle.Predictor with { OutputScale = -bundle.Predictor.OutputScale }, bundle.Calibration, bundle.BatchNormStatistics).Save(reversed);
        var versusLog = new List<string>();
        var versus = Commands.ValidateCommand.Run(byTarget with { Against = reversed }, CPU, versusLog.Add);
        string meanDifference = (versus.Average(v => v.Against!.Difference) * 100).ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
        Assert.Contains(versusLog, l => l.StartsWith("mean over 2 targets of Fashion: ", StringComparison.Ordinal)
            && l.Contains($", {meanDifference} vs SubnetGen.Supernet.FashionMnist.OFA 1.0.2 (±", StringComparison.Ordinal) && l.EndsWith(" paired over images)", StringComparison.Ordinal));
        Assert.NotEqual(versus[0].Config, versus[0].AgainstConfig);
        var theirs = Commands.ValidateCommand.Run(request with { Configs = new[] { versus[0].AgainstConfig!.ToString() } }, CPU, _ => { });
        Assert.Equal(versus[0].Correct - theirs[0].Correct, versus[0].Against!.Better - versus[0].Against!.Worse);
        Assert.Equal(smallest, versus[1].AgainstConfig);
        Assert.Equal((0, 0), (versus[1].Against!.Better, versus[1].Against!.Worse));

        var both = Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.Run(byTarget with { Configs = new[] { "largest" } }, CPU, _ => { }));
        Assert.Contains("give one of them", both.Message);
        var modelAlone = Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.Run(request with { Model = "Fashion" }, CPU, _ => { }));
        Assert.Contains("give --constraints too", modelAlone.Message);
        var noModel = Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.Run(byTarget with { Model = "Shoes" }, CPU, _ => { }));
        Assert.Contains("has no such model; models: Fashion", noModel.Message);
        File.WriteAllText(constraints, File.ReadAllText(constraints).Replace(bundle.Manifest.Id, "SubnetGen.Supernet.FashionMnist.CompOFA", StringComparison.Ordinal));
        var otherId = Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.Run(byTarget, CPU, _ => { }));
        Assert.Contains("pass --model <name> to use another model's budgets", otherId.Message);
        Assert.Equal("tight", Commands.ValidateCommand.Run(byTarget with { Model = "Fashion" }, CPU, _ => { })[1].Name);

        // What the user gets wrong is refused before anything is scored, with what to change.
        var config = Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.Run(request with { Configs = new[] { "median" } }, CPU, _ => { }));
        Assert.Contains("--config \"median\" is neither smallest, middle, largest nor an architecture", config.Message);
        var offset = Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.Run(request with { Offset = 5000 }, CPU, _ => { }));
        Assert.Contains("lower --calibration or --offset", offset.Message);
        var overlap = Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.Run(request with { Offset = 50 }, CPU, _ => { }));
        Assert.Contains("pass --offset 100 or more", overlap.Message);
        var split = Assert.Throws<ArgumentException>(() => Commands.ValidateCommand.Run(request with { Seed = 43 }, CPU, _ => { }));
        Assert.Contains("Pass the run's --validation and --seed", split.Message);
    }

    [Fact]
    public void Export_of_a_table_predictor_resumes_from_the_configs_it_already_measured()
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 64);
        var spec = TestData.Tiny(Family.CompOfa);
        var options = Options("table", new() { ["teacher"] = 1, ["compound"] = 0 }) with { TestLimit = 50 };
        var training = new TrainingRun(options, data, spec, CPU).Execute(new RecordingProgress());
        var first = BundleExporter.Export(training.Model, options, data, training, "cpu", new RecordingProgress());
        string cache = Path.Combine(options.Output, PredictorTableCache.FolderName);
        Assert.Equal(9, Directory.GetFiles(cache, "*.safetensors").Length);
        Assert.Empty(Directory.GetFiles(cache, "*.tmp"));
        var bundle = SupernetBundle.Load(first.BundleFolder);

        // As a kill leaves it: configs 0-4 written, the rest not (a half-written file is only ever a .tmp).
        for (int i = 5; i < 9; i++) File.Delete(Path.Combine(cache, i + ".safetensors"));
        File.WriteAllText(Path.Combine(cache, "5.safetensors.tmp"), "cut short");
        var resumed = new RecordingProgress();
        BundleExporter.Export(training.Model, options, data, training, "cpu", resumed);
        Assert.Contains("Reused 5 of 9 configs measured before", string.Join("\n", resumed.Messages));
        var again = SupernetBundle.Load(first.BundleFolder);
        // Reused and re-measured configs alike: the same accuracies and BN statistics (up to float rounding, as
        // torch's process-wide thread count can differ between the two exports).
        Assert.Equal(bundle.Predictor.Entries!.Keys, again.Predictor.Entries!.Keys);
        foreach (var (config, accuracy) in bundle.Predictor.Entries) Assert.InRange(again.Predictor.Entries[config] - accuracy, -0.0101, 0.0101);
        foreach (var (config, before) in bundle.BatchNormStatistics!.Configs)
            foreach (var (bn, s) in before)
            {
                var after = again.BatchNormStatistics!.Configs[config][bn];
                for (int c = 0; c < s.RunningMean.Length; c++)
                {
                    Assert.Equal(s.RunningMean[c], after.RunningMean[c], 4);
                    Assert.Equal(s.RunningVar[c], after.RunningVar[c], 4);
                }
            }

        // Measured another way (fewer validation images): nothing is reused.
        var other = new RecordingProgress();
        BundleExporter.Export(training.Model, options with { PredictorImages = 60 }, data, training, "cpu", other);
        Assert.DoesNotContain(other.Messages, m => m.StartsWith("Reused", StringComparison.Ordinal));
    }

    [Fact]
    public void Init_continues_a_trained_bundle_with_one_finetune_epoch_and_the_provenance_adds_up()
    {
        var (baseOptions, data, spec, baseTraining) = TinyOfaRun("base", seed: 42);
        var baseExport = BundleExporter.Export(baseTraining.Model, baseOptions, data, baseTraining, "cpu", new RecordingProgress());
        var trained = SupernetBundle.Load(baseExport.BundleFolder);
        // The base run's checkpoint holds momentum beside the network; --teacher takes the network only.
        string teacherSource = Path.Combine(baseOptions.Output, "checkpoint", Checkpoint.FileName);

        var options = Options("finetune", null) with
        {
            Family = Family.Ofa, PredictorSubnets = 12, TestLimit = 50, Seed = 42,
            Init = baseExport.BundleFolder, Teacher = teacherSource, Sandwich = SandwichRule.Full,
        };
        var start = StartingPoint.Load(options.Init!, options, data);

        // Stopped before its first step, the model is the bundle's network.
        var before = new TrainingRun(options with { StopAfterEpochs = 0 }, data, spec, CPU, start).Execute(new RecordingProgress());
        Assert.False(before.Finished);
        foreach (var (name, tensor) in SupernetState.Export(before.Model)) Assert.True(tensor.Data.SequenceEqual(trained.Tensors[name].Data), name);

        var progress = new RecordingProgress();
        var run = new TrainingRun(options, data, spec, CPU, start);
        var result = run.Execute(progress);
        Assert.True(result.Finished);
        Assert.Contains(progress.Messages, m => m.StartsWith("Starting from SubnetGen.Supernet.FashionMnist.OFA 1.0.0", StringComparison.Ordinal));
        var epoch = Assert.Single(result.Position.History);
        Assert.StartsWith("[7/7 finetune] epoch 1/1", epoch);
        Assert.Contains(SupernetState.Export(result.Model), p => !p.Value.Data.SequenceEqual(trained.Tensors[p.Key].Data));
        var teacher = Core.Bundle.Safetensors.Read(run.TeacherPath).Tensors;
        Assert.Equal(Checkpoint.Load(teacherSource).Model.Keys, teacher.Keys);
        foreach (var (name, tensor) in Checkpoint.Load(teacherSource).Model) Assert.True(tensor.Data.SequenceEqual(teacher[name].Data), name);

        var export = BundleExporter.Export(result.Model, options, data, result, "cpu", new RecordingProgress(), start, Commands.TorchDevice.DescribeMachine(CPU, 1));
        var provenance = SupernetBundle.Load(export.BundleFolder).Manifest.Provenance;
        var basis = trained.Manifest.Provenance;
        Assert.Equal(basis.Epochs + 1, provenance.Epochs);
        string teacherHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(teacherSource))).ToLowerInvariant()[..16];
        Assert.Equal("SubnetGen.Supernet.FashionMnist.OFA 1.0.0 (" + basis.Schedule + "), then finetune 1 ep × 4 subnet(s)/step + largest + smallest, " +
            $"distilled from {Checkpoint.FileName} (SHA-256 {teacherHash})", provenance.Schedule);
        Assert.True(provenance.WallTimeSeconds >= basis.WallTimeSeconds);
        Assert.DoesNotContain("finetune", basis.Schedule); // a fresh run does not list the phase it skipped
        string report = File.ReadAllText(export.ReportPath);
        Assert.Contains("This run continued SubnetGen.Supernet.FashionMnist.OFA 1.0.0 (`--init`)", report);
        // Where it trained: CPU kernels differ by machine (docs/training.md, "Feature-map layout").
        Assert.Contains($"Machine (this run): ", report);
        Assert.Contains($" ({Environment.ProcessorCount} logical cores), TorchSharp 0.107.0, 1 thread(s).", report);
    }

    [Fact]
    public void Init_from_a_network_file_shrinks_from_that_network_and_names_it_without_counting_its_training()
    {
        var (baseOptions, data, spec, _) = TinyOfaRun("base", seed: 42);
        // The base run trained only its teacher phase: its checkpoint (network + momentum) holds a trained full network.
        string network = Path.Combine(baseOptions.Output, "checkpoint", Checkpoint.FileName);
        var weights = Checkpoint.Load(network).Model;
        var options = Options("shrink", new() { ["kernel"] = 1, ["depth-34"] = 0, ["depth-234"] = 0, ["expand-46"] = 0, ["expand-346"] = 0 }) with
        {
            Family = Family.Ofa, PredictorSubnets = 12, TestLimit = 50, Seed = 42, Init = network,
            PhaseLearningRates = Schedule.ParseLearningRates("kernel=0.01"),
        };
        var start = StartingPoint.Load(options.Init!, options, data);
        Assert.Equal(StartingWeights.Teacher, start.Kind);

        // Stopped before its first step, the model is the file's network.
        var before = new TrainingRun(options with { StopAfterEpochs = 0 }, data, spec, CPU, start).Execute(new RecordingProgress());
        foreach (var (name, tensor) in SupernetState.Export(before.Model)) Assert.True(tensor.Data.SequenceEqual(weights[name].Data), name);

        var progress = new RecordingProgress();
        var run = new TrainingRun(options, data, spec, CPU, start);
        var result = run.Execute(progress);
        Assert.True(result.Finished);
        Assert.StartsWith("[2/7 kernel] epoch 1/1", Assert.Single(result.Position.History)); // no teacher epochs
        Assert.Contains(progress.Messages, m => m.StartsWith("A network file carries no record of its data split", StringComparison.Ordinal));
        // Without --teacher, the kernel phase distils from the network the run started from.
        var teacher = Core.Bundle.Safetensors.Read(run.TeacherPath).Tensors;
        foreach (var (name, tensor) in weights) Assert.True(tensor.Data.SequenceEqual(teacher[name].Data), name);

        var export = BundleExporter.Export(result.Model, options, data, result, "cpu", new RecordingProgress(), start);
        var provenance = SupernetBundle.Load(export.BundleFolder).Manifest.Provenance;
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(network))).ToLowerInvariant()[..16];
        Assert.Equal($"from {Checkpoint.FileName} (SHA-256 {hash}), then kernel 1 ep × 1 subnet(s)/step, learning rates kernel 0.01", provenance.Schedule);
        Assert.Equal(1, provenance.Epochs); // the file's own teacher epoch is not known to the run, so not counted
        Assert.Equal(Math.Round(result.Position.WallTimeSeconds), provenance.WallTimeSeconds);
        Assert.Contains("which carries no record of its own training", File.ReadAllText(export.ReportPath));

        // A file is exactly a network: a name the supernet lacks is refused, not dropped.
        string extra = Path.Combine(_folder, "extra.safetensors");
        File.WriteAllBytes(extra, Safetensors.ToBytes(new Dictionary<string, WeightTensor>(weights, StringComparer.Ordinal) { ["ema.stem.conv.weight"] = new WeightTensor(new[] { 1 }, new float[] { 1 }) }));
        var withExtra = options with { Init = extra, Output = Path.Combine(_folder, "extra") };
        var refused = Assert.Throws<ArgumentException>(() => new TrainingRun(withExtra, data, spec, CPU, StartingPoint.Load(extra, withExtra, data)).Execute(new RecordingProgress()));
        Assert.Contains("ema.stem.conv.weight", refused.Message);
    }

    [Fact]
    public void Init_refuses_a_path_that_is_neither_a_bundle_nor_a_file()
    {
        var options = Options("missing", null) with { Init = Path.Combine(_folder, "nothing-here") };
        var error = Assert.Throws<FileNotFoundException>(() => StartingPoint.Load(options.Init!, options, TestData.Small(train: 8)));
        Assert.Contains("no such bundle folder or safetensors file", error.Message);
    }

    [Fact]
    public void Init_refuses_another_family_and_another_validation_split()
    {
        var (baseOptions, data, _, baseTraining) = TinyOfaRun("base", seed: 42);
        var baseExport = BundleExporter.Export(baseTraining.Model, baseOptions, data, baseTraining, "cpu", new RecordingProgress());
        var options = Options("finetune", null) with { Seed = 42, Init = baseExport.BundleFolder };

        var family = Assert.Throws<ArgumentException>(() => StartingPoint.Load(options.Init!, options, data));
        Assert.Contains("pass --family ofa", family.Message);
        var split = Assert.Throws<ArgumentException>(() => StartingPoint.Load(options.Init!, options with { Family = Family.Ofa }, data with { Validation = data.Test }));
        Assert.Contains("Pass the run's --validation and --seed", split.Message);
        Assert.Throws<ArgumentException>(() => new TrainingRun(options, data, TestData.Tiny(Family.CompOfa), CPU));
    }

    [Fact]
    public void A_teacher_bundle_with_tensors_beyond_its_structure_gives_the_structure_but_a_teacher_file_stays_strict()
    {
        TorchRequirement.Ensure();
        var spec = TestData.Tiny(Family.Ofa);
        var random = RandomSupernet.Create(spec, "SubnetGen.Supernet.Test.OFA", "1.0.0", 5, Enumerable.Range(0, 10).Select(i => "c" + i).ToArray());
        // docs/formats.md: readers ignore tensors beyond the table, so a bundle may carry e.g. an EMA copy.
        var extra = new Dictionary<string, WeightTensor>(random.Tensors, StringComparer.Ordinal) { ["ema.stem.conv.weight"] = new WeightTensor(new[] { 2 }, new float[] { 1, 2 }) };
        string folder = Path.Combine(_folder, "teacher-bundle");
        new SupernetBundle(random.Manifest, extra, random.Predictor, random.Calibration).Save(folder);

        var teacher = StartingPoint.TeacherTensors(folder);
        Assert.Equal(random.Tensors.Keys.OrderBy(k => k, StringComparer.Ordinal), teacher.Keys.OrderBy(k => k, StringComparer.Ordinal));
        using var model = new ElasticSupernet(spec, CPU, seed: 1);
        SupernetState.Import(model, teacher);
        Assert.Equal(random.Tensors["stem.conv.weight"].Data, SupernetState.Export(model)["stem.conv.weight"].Data);

        // A safetensors file is meant to be exactly a network (a run's teacher or checkpoint): an extra name is refused.
        string file = Path.Combine(_folder, "teacher.safetensors");
        File.WriteAllBytes(file, Safetensors.ToBytes(extra));
        var refused = Assert.Throws<ArgumentException>(() => SupernetState.Import(model, StartingPoint.TeacherTensors(file)));
        Assert.Contains("ema.stem.conv.weight", refused.Message);
    }

    /// <summary>One teacher epoch of the tiny OFA supernet on 64 real images, every elastic phase off: a trained model to export quickly.</summary>
    private (TrainOptions Options, Data.DatasetSplits Data, SupernetSpec Spec, TrainingResult Training) TinyOfaRun(string name, int seed)
    {
        TorchRequirement.Ensure();
        var data = TestData.Small(train: 64);
        var spec = TestData.Tiny(Family.Ofa);
        var elasticPhasesOff = new Dictionary<string, int> { ["teacher"] = 1, ["kernel"] = 0, ["depth-34"] = 0, ["depth-234"] = 0, ["expand-46"] = 0, ["expand-346"] = 0 };
        var options = Options(name, elasticPhasesOff) with { Family = Family.Ofa, PredictorSubnets = 12, TestLimit = 50, Seed = seed };
        return (options, data, spec, new TrainingRun(options, data, spec, CPU).Execute(new RecordingProgress()));
    }

    private static double TrainLoss(string historyLine)
    {
        const string key = "train loss ";
        int start = historyLine.IndexOf(key, StringComparison.Ordinal) + key.Length;
        int end = historyLine.IndexOf(',', start);
        return double.Parse(historyLine.Substring(start, end - start), CultureInfo.InvariantCulture);
    }
}
