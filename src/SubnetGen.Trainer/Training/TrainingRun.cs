using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Model;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Training;

/// <summary>Result of the training phases (before export).</summary>
internal sealed record TrainingResult(ElasticSupernet Model, IReadOnlyList<Phase> Phases, RunPosition Position, bool Finished);

/// <summary>
/// Runs the phases of a schedule: per step, a batch (seeded shuffling and augmentation), the teacher's
/// logits for distillation, several sampled subnets with their gradients accumulated, one SGD step with
/// a per-phase cosine learning rate. A checkpoint after every epoch; <see cref="TrainOptions.Resume"/>
/// continues from it with the same result as an uninterrupted run, because every random choice of an
/// epoch comes from a generator seeded by (seed, phase, epoch).
/// </summary>
internal sealed class TrainingRun
{
    private readonly TrainOptions _options;
    private readonly DatasetSplits _data;
    private readonly SupernetSpec _spec;
    private readonly Device _device;
    private readonly StartingPoint? _start;
    private readonly Augmentation _augmentation;

    /// <param name="start">The bundle or network file of <see cref="TrainOptions.Init"/>, loaded and checked; null for random weights.</param>
    public TrainingRun(TrainOptions options, DatasetSplits data, SupernetSpec spec, Device device, StartingPoint? start = null)
    {
        if ((options.Init is null) != (start is null)) throw new ArgumentException("Pass the loaded StartingPoint exactly when TrainOptions.Init is set.", nameof(start));
        _options = options;
        _data = data;
        _spec = spec;
        _device = device;
        _start = start;
        _augmentation = Augmentation.Parse(options.Augment, folder: data.Train.Originals is not null);
    }

    public string CheckpointPath => Path.Combine(_options.Output, "checkpoint", Checkpoint.FileName);
    public string TeacherPath => Path.Combine(_options.Output, "checkpoint", Checkpoint.TeacherFileName);

    public IReadOnlyList<Phase> Phases => Schedule.Create(_spec, _options.EpochsScale, _options.PhaseEpochs, _options.TeacherLearningRate, _options.ShrinkLearningRate, _options.Sandwich,
        _start?.Kind ?? StartingWeights.Random, _options.PhaseLearningRates, _options.PhaseSubnets);

    public TrainingResult Execute(ITrainingProgress progress)
    {
        var phases = Phases;
        var resumed = OpenCheckpoint(phases, progress);
        var position = resumed?.Position ?? new RunPosition(0, 0, 0, Array.Empty<string>());
        var momentum = resumed?.Momentum;
        var resumedWeights = resumed?.Weights;
        // Before the model: the check's own supernet reseeds torch, and the model's constructor then seeds it as always.
        if (_options.MemoryFormat == MemoryFormat.ChannelsLast) RefuseChannelsLastIfWrong(progress);
        var model = new ElasticSupernet(_spec, _device, _options.Seed);
        if (resumedWeights is not null)
        {
            SupernetState.Import(model, resumedWeights);
            progress.Message($"Resuming from {CheckpointPath}: phase {phases[position.Phase].Name}, {position.Epoch} epoch(s) done.");
        }
        else
        {
            if (_start is not null)
            {
                // A bundle may carry tensors beyond its structure (docs/formats.md); a network file is exactly a network.
                if (_start.Kind == StartingWeights.Supernet) SupernetState.ImportFromBundle(model, _start.Weights);
                else SupernetState.Import(model, _start.Weights);
                progress.Message($"Starting from {_start.Describe()} ({_start.Source}).");
                if (_start.Kind == StartingWeights.Teacher)
                    progress.Message("A network file carries no record of its data split: it must have trained with this run's --data, --validation and --seed, or the validation images were trained on.");
            }
            // A fresh start distils from --teacher or from its own network as distillation begins, never from a
            // teacher an earlier run left in this folder.
            if (_options.Teacher is string teacherSource) Checkpoint.SaveTensors(TeacherPath, StartingPoint.TeacherTensors(teacherSource));
            else if (File.Exists(TeacherPath))
            {
                File.Delete(TeacherPath);
                progress.Message($"Removed {TeacherPath} left by an earlier run: a fresh start (no --resume) makes its own teacher.");
            }
        }

        var history = position.History.ToList();
        var clock = Stopwatch.StartNew();
        double wallBefore = position.WallTimeSeconds;
        int epochsThisRun = 0;
        int stepsPerEpoch = Math.Max(1, _data.Train.Count / _options.BatchSize);
        // The ETA weighs steps by their MACs (StepCost), since a kernel-phase step costs about half an expand-phase one.
        var stepCost = phases.Select(p => StepCost.Of(p, _spec)).ToArray();
        double totalCost = phases.Select((p, i) => p.Epochs * stepsPerEpoch * stepCost[i]).Sum();
        double doneCost = phases.Take(position.Phase).Select((p, i) => p.Epochs * stepsPerEpoch * stepCost[i]).Sum()
            + (position.Phase < phases.Count ? position.Epoch * stepsPerEpoch * stepCost[position.Phase] : 0);
        var calibration = _data.Validation.Take(_options.CalibrationCount);
        var evaluator = new SubnetEvaluator(model, calibration, _options.EvaluationBatchSize);
        // Scored on the images after the calibration ones (as the predictor's): BN statistics recalibrated on the
        // very images being scored would flatter the per-epoch figure.
        var validation = PredictorData.Images(_data.Validation, calibration.Count, _options.PredictorImages);
        var teacherConfig = _spec.Space.Largest(_spec.Stages.Count);

        for (int p = position.Phase; p < phases.Count; p++)
        {
            var phase = phases[p];
            int firstEpoch = p == position.Phase ? position.Epoch : 0;
            if (firstEpoch >= phase.Epochs) continue;
            if (firstEpoch == 0 && phase.SortChannelsFirst)
                foreach (var block in model.Blocks.SelectMany(b => b)) block.SortChannels();
            ElasticSupernet? teacher = null;
            if (phase.Distill)
            {
                if (!File.Exists(TeacherPath) && _options.Teacher is string teacherSource)
                    Checkpoint.SaveTensors(TeacherPath, StartingPoint.TeacherTensors(teacherSource));
                if (!File.Exists(TeacherPath))
                {
                    // The teacher is the network as the first distilling epoch starts. Any later, the model has already been
                    // shrunk, and saving it as the teacher would silently distil from the wrong network.
                    if (DistillationBegan(phases, p, firstEpoch))
                        throw new InvalidOperationException($"{TeacherPath} is missing, and this run is past the start of distillation ({phase.Name} phase): " +
                            $"the teacher cannot be rebuilt from the checkpoint. Copy {Checkpoint.TeacherFileName} along with {Checkpoint.FileName} when moving a run.");
                    Checkpoint.SaveTensors(TeacherPath, SupernetState.Export(model));
                }
                teacher = new ElasticSupernet(_spec, _device, _options.Seed) { MemoryFormat = _options.MemoryFormat };
                SupernetState.Import(teacher, Core.Bundle.Safetensors.Read(TeacherPath).Tensors);
                teacher.SetActive(teacherConfig);
                teacher.eval();
            }
            var named = model.named_parameters().ToList();
            var sgd = new Sgd(named);
            if (firstEpoch > 0 && momentum is not null)
                using (no_grad())
                    foreach (var (name, buffer) in sgd.Buffers) buffer.copy_(tensor(momentum[name].Data, buffer.shape));
            momentum = null;

            for (int epoch = firstEpoch; epoch < phase.Epochs; epoch++)
            {
                if (_options.StopAfterEpochs is int stop && epochsThisRun >= stop)
                    return new TrainingResult(model, phases, new RunPosition(p, epoch, wallBefore + clock.Elapsed.TotalSeconds, history), false);
                var random = new Random(unchecked(_options.Seed * 1_000_003 + p * 1009 + epoch));
                var order = DatasetSplits.Permutation(_data.Train.Count, random);
                string label = string.Create(CultureInfo.InvariantCulture, $"[{p + 1}/{phases.Count} {phase.Name}] epoch {epoch + 1}/{phase.Epochs}");
                progress.StartEpoch(label, stepsPerEpoch);
                model.train();
                model.MemoryFormat = _options.MemoryFormat; // SGD steps only; evaluation below is contiguous
                double lossSum = 0, correct = 0, seen = 0;
                var epochClock = Stopwatch.StartNew();
                for (int step = 0; step < stepsPerEpoch; step++)
                {
                    using var scope = NewDisposeScope();
                    var indices = new ArraySegment<int>(order, step * _options.BatchSize, _options.BatchSize);
                    // Elastic resolution: every step of a shrinking phase runs at one resolution drawn for it (OFA's); the
                    // teacher phase trains at the full size. No draw where the space has one resolution.
                    int? resolution = phase.Distill && _spec.Space.Resolutions is { } resolutions ? resolutions[random.Next(resolutions.Count)] : null;
                    var size = resolution is int r ? _spec.InputSize(_spec.Space.Largest(_spec.Stages.Count).WithResolution(r)) : ((int, int)?)null;
                    var (images, labels) = BatchMaker.Make(_data.Train, indices, _device, random, _augmentation, size: size);
                    long t = (long)epoch * stepsPerEpoch + step, total = (long)phase.Epochs * stepsPerEpoch;
                    double lr = 0.5 * phase.LearningRate * (1 + Math.Cos(Math.PI * t / total));

                    Tensor? teacherLogits = null;
                    if (teacher is not null)
                        using (no_grad()) teacherLogits = teacher.forward(images);
                    sgd.ZeroGrad();
                    var subnets = phase.StepSubnets(_spec, random).Select(c => resolution is int at ? c.WithResolution(at) : c).ToList();
                    int forwards = subnets.Count;
                    foreach (var subnet in subnets)
                    {
                        model.SetActive(subnet);
                        var logits = model.forward(images);
                        // Averaged over the sampled subnets only: the sandwich rule adds its subnets' gradients on top
                        // instead of diluting the sampled ones' (averaging over all forwards cost the smallest subnet
                        // 3.4 points at a tenth of the data, docs/training.md).
                        using var share = Scalars.Of(phase.SubnetsPerStep);
                        var loss = Distillation.Loss(logits, labels, teacherLogits).div(share);
                        loss.backward();
                        lossSum += loss.item<float>() * phase.SubnetsPerStep / forwards; // reported: the mean over all forwards
                        correct += logits.argmax(1).eq(labels).sum().item<long>() / (double)forwards;
                    }
                    sgd.Step(lr);
                    seen += _options.BatchSize;
                    doneCost += stepCost[p];
                    double secondsPerCost = epochClock.Elapsed.TotalSeconds / ((step + 1) * stepCost[p]);
                    progress.Step(step + 1, stepsPerEpoch, lossSum / (step + 1), correct / seen,
                        seen / epochClock.Elapsed.TotalSeconds, TimeSpan.FromSeconds(secondsPerCost * Math.Max(0, totalCost - doneCost)));
                }

                epochsThisRun++;
                model.MemoryFormat = MemoryFormat.Contiguous;
                model.SetActive(teacherConfig);
                double valAccuracy = evaluator.Accuracy(teacherConfig, validation);
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"{label}: train loss {lossSum / stepsPerEpoch:F4}, train acc {correct / seen * 100:F2}%, largest val acc {valAccuracy * 100:F2}%, {epochClock.Elapsed.TotalSeconds:F0} s");
                history.Add(line);
                progress.Message(line);
                var next = new RunPosition(p, epoch + 1, wallBefore + clock.Elapsed.TotalSeconds, history.ToArray());
                Checkpoint.Save(CheckpointPath, SupernetState.Export(model),
                    sgd.Buffers.ToDictionary(b => b.Key, b => ToWeight(b.Value), StringComparer.Ordinal), next, new RunNumerics(_options.MemoryFormat, _options.Threads, _options.Sandwich), Plan(phases));
            }
            teacher?.Dispose();
        }
        return new TrainingResult(model, phases, new RunPosition(phases.Count, 0, wallBefore + clock.Elapsed.TotalSeconds, history), true);
    }

    /// <summary>
    /// The checkpoint to continue, or null for a fresh start. Refuses a start without --resume over an earlier run's
    /// checkpoint, and a resume under options that would make its weights and report those of no single run.
    /// </summary>
    private (IReadOnlyDictionary<string, Core.Bundle.WeightTensor> Weights, Dictionary<string, Core.Bundle.WeightTensor> Momentum, RunPosition Position)? OpenCheckpoint(
        IReadOnlyList<Phase> phases, ITrainingProgress progress)
    {
        if (!_options.Resume && !_options.Overwrite && File.Exists(CheckpointPath))
        {
            // A forgotten --resume would otherwise delete the earlier run's teacher at once and its checkpoint after one epoch.
            var earlier = Checkpoint.Load(CheckpointPath).Position;
            bool finished = earlier.Phase >= phases.Count
                || (earlier.Epoch >= phases[earlier.Phase].Epochs && phases.Skip(earlier.Phase + 1).All(q => q.Epochs == 0));
            string where = finished ? "training finished" : $"phase {phases[earlier.Phase].Name}, {earlier.Epoch} epoch(s) of it done";
            throw new InvalidOperationException($"{_options.Output} holds the checkpoint of an earlier run ({where}): continue it with --resume, " +
                "start afresh with --overwrite (which replaces the checkpoint and its teacher), or choose another --out.");
        }
        if (_options.Resume && !File.Exists(CheckpointPath))
            progress.Message($"No checkpoint at {CheckpointPath}: --resume starts a fresh run.");
        if (_options.Resume && File.Exists(CheckpointPath))
        {
            var (weights, savedMomentum, savedPosition, saved, savedPlan) = Checkpoint.Load(CheckpointPath);
            // Another layout changes float summation order, so the resumed run would not match an uninterrupted one.
            if (saved.Format != _options.MemoryFormat)
                throw new InvalidOperationException($"{CheckpointPath} was written with --memory-format {MemoryFormats.Name(saved.Format)}; resume with the same --memory-format (now {MemoryFormats.Name(_options.MemoryFormat)}).");
            // Legitimate (another machine), but channels-last batch statistics then reduce in another order.
            if (saved.Format == MemoryFormat.ChannelsLast && saved.Threads != _options.Threads)
                progress.Message($"Note: the checkpoint was written with --threads {saved.Threads}, this run uses {_options.Threads}; with channels-last the result will differ slightly from an uninterrupted run.");
            if (savedPlan is not null)
            {
                var plan = Plan(phases);
                var conflicts = plan.Conflicts(savedPlan, savedPosition);
                if (conflicts.Count > 0)
                    throw new InvalidOperationException($"{CheckpointPath} was trained with other options than this run's: {string.Join("; ", conflicts)}. " +
                        "A resumed run keeps the options of every phase it has begun (else its weights and report would be those of no single run): resume with the options the run started with.");
                foreach (var change in plan.Changes(savedPlan, savedPosition)) progress.Message($"Phase not yet begun, now planned as {change}.");
            }
            // Checkpoints before the plan recorded only the sandwich rule: once a distilling step has run, the run must
            // keep it. Before that (a finished teacher) either choice is a clean start of the shrinking phases.
            else if (saved.Sandwich != _options.Sandwich && DistillationBegan(phases, savedPosition.Phase, savedPosition.Epoch))
                throw new InvalidOperationException($"{CheckpointPath} was trained with --sandwich {SandwichRules.Name(saved.Sandwich)}; resume it with --sandwich {SandwichRules.Name(saved.Sandwich)} (now {SandwichRules.Name(_options.Sandwich)}).");
            return (weights, new Dictionary<string, Core.Bundle.WeightTensor>(savedMomentum, StringComparer.Ordinal), savedPosition);
        }
        return null;
    }

    private RunPlan Plan(IReadOnlyList<Phase> phases) => RunPlan.Of(phases, _options.Seed, _options.BatchSize, _start?.Describe() ?? RunPlan.RandomStart,
        RunPlan.Describe(_data.Name, _data.Train.Count, _data.Validation.Count));

    /// <summary>Whether a distilling epoch has run before (phase, epoch) of the schedule.</summary>
    private static bool DistillationBegan(IReadOnlyList<Phase> phases, int phase, int epoch) =>
        phases.Take(phase).Any(q => q.Distill && q.Epochs > 0) || (phase < phases.Count && phases[phase].Distill && epoch > 0);

    private static Core.Bundle.WeightTensor ToWeight(Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        return new Core.Bundle.WeightTensor(cpu.shape.Select(d => (int)d).ToArray(), cpu.data<float>().ToArray());
    }

    /// <summary>Before any step: channels-last must compute the contiguous step here (<see cref="LayoutCheck"/>). Checked on every start, as a resumed run may be on another machine.</summary>
    private void RefuseChannelsLastIfWrong(ITrainingProgress progress)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = BatchMaker.Make(_data.Train, BatchMaker.Range(0, Math.Min(_options.BatchSize, _data.Train.Count)), _device);
        var result = LayoutCheck.Compare(_spec, _device, images, labels, LayoutCheck.Configs(_spec));
        if (!result.Agrees) throw new InvalidOperationException(LayoutCheck.Refusal(result));
        progress.Message("Checked: " + result.Describe() + ".");
    }
}
