using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SubnetGen.Core.Space;

namespace SubnetGen.Trainer.Training;

/// <summary>How one phase samples subnets: each stage's depth from <see cref="Depths"/>, each block's kernel and expand ratio from the sets (or the family's coupling).</summary>
internal sealed record SubnetSampler(IReadOnlyList<int> Depths, IReadOnlyList<int>? Kernels, IReadOnlyList<int>? Expands, bool Coupled)
{
    public SubnetConfig Sample(SupernetSpec spec, Random random)
    {
        var space = spec.Space;
        var stages = new List<IReadOnlyList<BlockConfig>>();
        for (int s = 0; s < spec.Stages.Count; s++)
        {
            int depth = Depths[random.Next(Depths.Count)];
            var kernels = Kernels ?? space.KernelChoices(s);
            var blocks = new BlockConfig[depth];
            for (int b = 0; b < depth; b++)
            {
                int k = kernels[random.Next(kernels.Count)];
                int e = Coupled ? space.CoupledExpandByDepth![depth] : Expands![random.Next(Expands.Count)];
                blocks[b] = new BlockConfig(k, e);
            }
            stages.Add(blocks);
        }
        return new SubnetConfig(stages, FullResolution(spec));
    }

    /// <summary>The training size, where the space has elastic resolution (a step of a shrinking phase then picks its own).</summary>
    private static int? FullResolution(SupernetSpec spec) => spec.Space.Resolutions is { } r ? r[r.Count - 1] : null;

    /// <summary>"depths 2,3,4 kernels 3,5,7 expands 3,4,6" (kernels: "per stage" when the family fixes them; expands: "coupled").</summary>
    public string Describe() => "depths " + string.Join(",", Depths)
        + " kernels " + (Kernels is null ? "per stage" : string.Join(",", Kernels))
        + " expands " + (Coupled ? "coupled" : string.Join(",", Expands!));

    /// <summary>The smallest subnet this sampler can draw: fewest blocks, smallest kernel and expand ratio everywhere.</summary>
    public SubnetConfig Smallest(SupernetSpec spec)
    {
        var space = spec.Space;
        int depth = Depths.Min();
        var stages = new List<IReadOnlyList<BlockConfig>>();
        for (int s = 0; s < spec.Stages.Count; s++)
        {
            int k = (Kernels ?? space.KernelChoices(s)).Min();
            int e = Coupled ? space.CoupledExpandByDepth![depth] : Expands!.Min();
            stages.Add(Enumerable.Repeat(new BlockConfig(k, e), depth).ToArray());
        }
        return new SubnetConfig(stages, FullResolution(spec));
    }
}

/// <summary>One phase of progressive shrinking: its epochs, what it samples, how many subnets per step (gradients accumulated), and whether it re-sorts channels first.</summary>
internal sealed record Phase(string Name, int Epochs, SubnetSampler Sampler, int SubnetsPerStep, bool SortChannelsFirst, bool Distill, double LearningRate)
{
    /// <summary>
    /// The sandwich rule (BigNAS): which subnets every step trains before the sampled ones, so shrinking does not
    /// pull the largest subnet away from its teacher (and, with <see cref="SandwichRule.Full"/>, the smallest gets a
    /// gradient every step). The sampled subnets are the same whatever the rule.
    /// </summary>
    public SandwichRule Sandwich { get; init; }

    /// <summary>The sandwich rule's subnets of every step, in training order: the largest, then (full rule) the phase's smallest.</summary>
    public IReadOnlyList<SubnetConfig> RuleSubnets(SupernetSpec spec) => Sandwich switch
    {
        SandwichRule.Largest => new[] { spec.Space.Largest(spec.Stages.Count) },
        SandwichRule.Full => new[] { spec.Space.Largest(spec.Stages.Count), Sampler.Smallest(spec) },
        _ => Array.Empty<SubnetConfig>(),
    };

    /// <summary>The subnets of one step in training order: the rule's, then the sampled ones.</summary>
    public IReadOnlyList<SubnetConfig> StepSubnets(SupernetSpec spec, Random random)
    {
        var subnets = new List<SubnetConfig>(RuleSubnets(spec));
        for (int i = 0; i < SubnetsPerStep; i++) subnets.Add(Sampler.Sample(spec, random));
        return subnets;
    }

    public string Describe() => $"{Name} {Epochs} ep × {SubnetsPerStep} subnet(s)/step" + Sandwich switch
    {
        SandwichRule.Largest => " + largest",
        SandwichRule.Full => " + largest + smallest",
        _ => "",
    };
}

/// <summary>What a run's weights start from: random (a fresh run), a trained full network (a teacher), or a trained supernet.</summary>
internal enum StartingWeights
{
    Random,
    Teacher,
    Supernet,
}

/// <summary>The phases of a run for a family (OFA progressive shrinking; CompOFA / MOOFA: teacher then compound).</summary>
internal static class Schedule
{
    /// <summary>The phase that continues training a finished supernet (<see cref="TrainOptions.Init"/>): the whole space, the last phase's subnets per step, never a channel re-sort.</summary>
    public const string FineTune = "finetune";

    /// <summary>
    /// Default epochs per phase at --epochs-scale 1, sized for a 2-core CPU (docs/training.md). A fresh run never
    /// fine-tunes; a run started from a trained supernet only fine-tunes, one epoch; a run started from a trained
    /// full network (a teacher) skips the teacher phase and runs the rest.
    /// </summary>
    public static IReadOnlyDictionary<string, int> DefaultEpochs(Family family, StartingWeights start = StartingWeights.Random)
    {
        var epochs = family == Family.Ofa
            ? new Dictionary<string, int> { ["teacher"] = 6, ["kernel"] = 2, ["depth-34"] = 1, ["depth-234"] = 2, ["expand-46"] = 1, ["expand-346"] = 2, [FineTune] = 0 }
            : new Dictionary<string, int> { ["teacher"] = 6, ["compound"] = 5, [FineTune] = 0 };
        if (start == StartingWeights.Supernet)
            foreach (var name in epochs.Keys.ToArray()) epochs[name] = name == FineTune ? 1 : 0;
        if (start == StartingWeights.Teacher) epochs["teacher"] = 0;
        return epochs;
    }

    /// <param name="learningRates">Per-phase learning rates (<c>--phase-lr</c>) over the teacher and shrinking ones.</param>
    /// <param name="subnetsPerStep">Per-phase sampled subnets per step (<c>--phase-subnets</c>) over each phase's own.</param>
    public static IReadOnlyList<Phase> Create(SupernetSpec spec, double epochsScale, IReadOnlyDictionary<string, int>? overrides,
        double teacherLearningRate, double shrinkLearningRate, SandwichRule sandwich = SandwichRule.None, StartingWeights start = StartingWeights.Random,
        IReadOnlyDictionary<string, double>? learningRates = null, IReadOnlyDictionary<string, int>? subnetsPerStep = null)
    {
        var phases = Phases(spec, epochsScale, overrides, teacherLearningRate, shrinkLearningRate, start);
        string names = string.Join(", ", phases.Select(p => p.Name));
        foreach (var name in (learningRates ?? new Dictionary<string, double>()).Keys)
            if (!phases.Any(p => p.Name == name))
                throw new ArgumentException($"--phase-lr: phase \"{name}\" is not part of the {spec.Space.Family} schedule; its phases are {names}.");
        foreach (var (name, count) in subnetsPerStep ?? new Dictionary<string, int>())
        {
            // The teacher phase trains one network; sampling it twice a step would only double the step.
            if (!phases.Any(p => p.Name == name && p.Distill))
                throw new ArgumentException($"--phase-subnets: \"{name}\" is not a shrinking phase of the {spec.Space.Family} schedule; those are {string.Join(", ", phases.Where(p => p.Distill).Select(p => p.Name))}.");
            if (count < 1) throw new ArgumentException($"--phase-subnets: {name}={count}; a phase samples at least one subnet per step.");
        }
        return phases.Select(p => p.Distill ? p with { Sandwich = sandwich } : p)
            .Select(p => learningRates is not null && learningRates.TryGetValue(p.Name, out double lr) ? p with { LearningRate = lr } : p)
            .Select(p => subnetsPerStep is not null && subnetsPerStep.TryGetValue(p.Name, out int n) ? p with { SubnetsPerStep = n } : p)
            .ToArray();
    }

    /// <summary>
    /// OFA's own learning rates (train_ofa_net.py): 3e-2 for the kernel phase, 2.5e-3 for the first depth and expand
    /// phases and 7.5e-3 for the second — the later phases at a quarter to a twelfth of the kernel phase's rate.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> OfaLearningRates = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["kernel"] = 0.03, ["depth-34"] = 0.0025, ["depth-234"] = 0.0075, ["expand-46"] = 0.0025, ["expand-346"] = 0.0075,
    };

    /// <summary>The last phase's sampler: the subnets a finished run trained last, from which the predictor's subnets are drawn.</summary>
    public static SubnetSampler FinalSampler(SupernetSpec spec) => Phases(spec, 1, null, 0, 0)[^1].Sampler;

    private static IReadOnlyList<Phase> Phases(SupernetSpec spec, double epochsScale, IReadOnlyDictionary<string, int>? overrides,
        double teacherLearningRate, double shrinkLearningRate, StartingWeights start = StartingWeights.Random)
    {
        var space = spec.Space;
        var epochs = DefaultEpochs(space.Family, start).ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, value) in overrides ?? new Dictionary<string, int>())
        {
            if (!epochs.ContainsKey(name))
                throw new ArgumentException($"Phase \"{name}\" is not part of the {space.Family} schedule; its phases are {string.Join(", ", epochs.Keys)}.");
            epochs[name] = value;
        }
        // --epochs-scale never rounds a phase away, nor gives a phase that is off by default (finetune) an epoch.
        int E(string name) => overrides is not null && overrides.ContainsKey(name) ? epochs[name]
            : epochs[name] == 0 ? 0 : Math.Max(1, (int)Math.Round(epochs[name] * epochsScale));

        int maxDepth = space.MaxDepth, maxExpand = space.MaxExpandRatio, maxKernel = space.MaxKernelSize;
        var teacherKernels = space.FixedKernels is null ? new[] { maxKernel } : null;
        var teacher = new Phase("teacher", E("teacher"),
            new SubnetSampler(new[] { maxDepth }, teacherKernels, space.IsCoupled ? null : new[] { maxExpand }, space.IsCoupled), 1, false, false, teacherLearningRate);
        if (space.IsCoupled)
        {
            // CompOFA: depth and width shrink together; kernels are fixed per stage, so no kernel phase.
            var compound = new Phase("compound", E("compound"), new SubnetSampler(space.Depths, null, null, true), 2, true, true, shrinkLearningRate);
            return new[] { teacher, compound, FineTunePhase(compound, E(FineTune)) };
        }

        IReadOnlyList<int> Top(IReadOnlyList<int> values, int count) => values.Skip(values.Count - count).ToArray();
        var kernels = space.KernelSizes;
        var last = new Phase("expand-346", E("expand-346"), new SubnetSampler(space.Depths, kernels, space.ExpandRatios, false), 4, false, true, shrinkLearningRate);
        return CarryChannelSort(new[]
        {
            teacher,
            new Phase("kernel", E("kernel"), new SubnetSampler(new[] { maxDepth }, kernels, new[] { maxExpand }, false), 1, false, true, shrinkLearningRate),
            new Phase("depth-34", E("depth-34"), new SubnetSampler(Top(space.Depths, 2), kernels, new[] { maxExpand }, false), 2, false, true, shrinkLearningRate),
            new Phase("depth-234", E("depth-234"), new SubnetSampler(space.Depths, kernels, new[] { maxExpand }, false), 2, false, true, shrinkLearningRate),
            new Phase("expand-46", E("expand-46"), new SubnetSampler(space.Depths, kernels, Top(space.ExpandRatios, 2), false), 4, true, true, shrinkLearningRate),
            last,
            FineTunePhase(last, E(FineTune)),
        });
    }

    /// <summary>
    /// Fine-tuning samples like the schedule's last phase. It never re-sorts channels, not even for a skipped expand
    /// phase: its weights were trained with their order, and a re-sort would hand the narrow subnets other channels.
    /// </summary>
    private static Phase FineTunePhase(Phase last, int epochs) => last with { Name = FineTune, Epochs = epochs, SortChannelsFirst = false };

    /// <summary>
    /// A phase given 0 epochs is skipped; if it was the one that re-sorts channels (expand-46), the next
    /// phase that trains does the sort instead, so a shortened schedule (e.g. expand-46=0) still shrinks
    /// width from the most important channels.
    /// </summary>
    private static Phase[] CarryChannelSort(Phase[] phases)
    {
        for (int i = 0; i + 1 < phases.Length; i++)
            if (phases[i].Epochs == 0 && phases[i].SortChannelsFirst && phases[i + 1].Name != FineTune)
                phases[i + 1] = phases[i + 1] with { SortChannelsFirst = true };
        return phases;
    }

    /// <summary>
    /// Parses "kernel=0.03,depth-34=0.0025" (<c>--phase-lr</c>); "ofa" stands for <see cref="OfaLearningRates"/> and
    /// may be followed by pairs that replace some of them.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ParseLearningRates(string? text)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var part in text!.Split(','))
        {
            if (part.Trim() == "ofa")
            {
                foreach (var (name, rate) in OfaLearningRates) result[name] = rate;
                continue;
            }
            var kv = part.Split('=');
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double value) || !(value > 0))
                throw new ArgumentException($"--phase-lr: \"{part}\" is not phase=rate with a positive rate (e.g. depth-34=0.0025), nor \"ofa\".");
            result[kv[0].Trim()] = value;
        }
        return result;
    }

    /// <summary>Parses "teacher=5,compound=4" (<c>--phase-epochs</c>; <c>--phase-subnets</c> with <paramref name="unit"/> "subnets").</summary>
    public static IReadOnlyDictionary<string, int> ParseOverrides(string? text, string unit = "epochs")
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var part in text!.Split(','))
        {
            var kv = part.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                throw new ArgumentException($"\"{part}\" is not phase={unit} (e.g. {(unit == "epochs" ? "teacher" : "finetune")}=5).");
            result[kv[0].Trim()] = value;
        }
        return result;
    }

    /// <summary>Reference subnets for reports: smallest, middle (middle depth/kernel/expand), largest of the family's space.</summary>
    public static SubnetConfig Middle(SupernetSpec spec) => spec.Space.Middle(spec.Stages.Count);
}
