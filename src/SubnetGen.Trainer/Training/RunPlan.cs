using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SubnetGen.Trainer.Training;

/// <summary>What one phase of a run was told: its epochs, learning rate, sampled subnets per step and sandwich rule.</summary>
internal sealed record PhasePlan(string Name, int Epochs, double LearningRate, int SubnetsPerStep, string Sandwich);

/// <summary>
/// The options a run's checkpoint records so that <c>--resume</c> can refuse to continue it under others: the
/// data (its name and the train / validation image counts: another <c>--data</c>, <c>--validation</c> or
/// <c>--train-limit</c> would train on other images, or on validation ones), seed and batch size (they decide the split,
/// every shuffle and draw), what the weights started from
/// (<c>--init</c>, which the report names) and each phase's plan. A phase the run has
/// begun must keep its plan, or the weights would be those of no single run and the report would describe
/// epochs and rates that never ran; a phase not yet begun may change (that is a legitimate new plan).
/// </summary>
/// <param name="Start"><see cref="StartingPoint.Describe"/> of <c>--init</c> (a bundle's id and version, a file's name and hash), or <see cref="RandomStart"/>.</param>
/// <param name="Data">"fashion-mnist: 55000 train / 5000 validation images" (<see cref="Describe"/>); null in plans written before it was recorded.</param>
internal sealed record RunPlan(int Seed, int BatchSize, IReadOnlyList<PhasePlan> Phases, string Start = RunPlan.RandomStart, string? Data = null)
{
    public const string RandomStart = "random weights";

    public static RunPlan Of(IReadOnlyList<Phase> phases, int seed, int batchSize, string start = RandomStart, string? data = null) => new(seed, batchSize,
        phases.Select(p => new PhasePlan(p.Name, p.Epochs, p.LearningRate, p.SubnetsPerStep, SandwichRules.Name(p.Sandwich))).ToArray(), start, data);

    public static string Describe(string name, int train, int validation) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}: {train} train / {validation} validation images");

    /// <summary>
    /// How this run's plan differs from <paramref name="saved"/> where it matters at <paramref name="position"/>:
    /// data, seed, batch size, start, and every phase begun (finished ones, and the current one once an epoch of it ran).
    /// Each line names the option and the value to resume with. Empty: the resume continues the same run.
    /// </summary>
    public IReadOnlyList<string> Conflicts(RunPlan saved, RunPosition position)
    {
        var lines = new List<string>();
        if (saved.Data is not null && Data != saved.Data)
            lines.Add($"the run trained on {saved.Data} (now {Data}): the same --data, --validation and --train-limit");
        if (Seed != saved.Seed) lines.Add($"--seed {saved.Seed} (now {Seed})");
        if (BatchSize != saved.BatchSize) lines.Add($"--batch-size {saved.BatchSize} (now {BatchSize})");
        if (Start != saved.Start)
            lines.Add($"the run started from {saved.Start} (now {Start}): " + (saved.Start == RandomStart ? "resume without --init" : "--init the same bundle or file"));
        int begun = Math.Min(saved.Phases.Count, Begun(position));
        for (int i = 0; i < begun; i++)
        {
            var was = saved.Phases[i];
            var now = Phases.FirstOrDefault(p => p.Name == was.Name);
            if (now is null) { lines.Add($"phase {was.Name} is not in this run's schedule"); continue; }
            string R(double rate) => rate.ToString("R", CultureInfo.InvariantCulture);
            if (now.Epochs != was.Epochs) lines.Add($"phase {was.Name} trained with {was.Epochs} epoch(s) (now {now.Epochs}): --phase-epochs {was.Name}={was.Epochs}");
            if (now.LearningRate != was.LearningRate) lines.Add($"phase {was.Name} trained with learning rate {R(was.LearningRate)} (now {R(now.LearningRate)}): --phase-lr {was.Name}={R(was.LearningRate)}");
            if (now.SubnetsPerStep != was.SubnetsPerStep) lines.Add($"phase {was.Name} trained with {was.SubnetsPerStep} subnet(s) per step (now {now.SubnetsPerStep}): --phase-subnets {was.Name}={was.SubnetsPerStep}");
            if (now.Sandwich != was.Sandwich) lines.Add($"phase {was.Name} trained with --sandwich {was.Sandwich} (now {now.Sandwich})");
        }
        return lines;
    }

    /// <summary>How many phases, from the first, a run at <paramref name="position"/> has begun: the finished ones, and the current one once an epoch of it ran.</summary>
    private static int Begun(RunPosition position) => position.Epoch > 0 ? position.Phase + 1 : position.Phase;

    /// <summary>The phases not yet begun whose plan this run changes ("finetune 1 ep × 4 at lr 0.03, sandwich none (planned: 0 ep × 4 …)"), for a note.</summary>
    public IReadOnlyList<string> Changes(RunPlan saved, RunPosition position)
    {
        return Phases.Skip(Begun(position))
            .Select(now => (now, was: saved.Phases.FirstOrDefault(p => p.Name == now.Name)))
            .Where(x => x.was is not null && x.was != x.now)
            .Select(x => string.Create(CultureInfo.InvariantCulture,
                $"{x.now.Name} {x.now.Epochs} ep × {x.now.SubnetsPerStep} at lr {x.now.LearningRate}, sandwich {x.now.Sandwich} (planned: {x.was!.Epochs} ep × {x.was.SubnetsPerStep} at lr {x.was.LearningRate}, sandwich {x.was.Sandwich})"))
            .ToArray();
    }
}
