using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Tests;

/// <summary>What a checkpoint's recorded plan lets <c>--resume</c> change: nothing of a phase begun, anything of one not begun.</summary>
public sealed class RunPlanTests
{
    private static RunPlan Ofa(IReadOnlyDictionary<string, double>? rates = null, Dictionary<string, int>? subnets = null, Dictionary<string, int>? epochs = null,
        SandwichRule sandwich = SandwichRule.Largest, int seed = 42, int batch = 128) =>
        RunPlan.Of(Schedule.Create(DefaultSupernets.FashionMnist(Family.Ofa), 1.0, epochs, 0.1, 0.03, sandwich, StartingWeights.Random, rates, subnets), seed, batch);

    // OFA's phases: 0 teacher, 1 kernel, 2 depth-34, 3 depth-234, 4 expand-46, 5 expand-346, 6 finetune.
    private static readonly RunPosition InKernel = new(1, 1, 0, Array.Empty<string>());

    [Fact]
    public void The_same_options_resume_without_conflict_or_change()
    {
        Assert.Empty(Ofa().Conflicts(Ofa(), InKernel));
        Assert.Empty(Ofa().Changes(Ofa(), InKernel));
    }

    [Fact]
    public void A_begun_phase_must_keep_its_learning_rate_subnets_epochs_and_sandwich_and_each_conflict_names_the_option_to_pass()
    {
        var saved = Ofa();
        Assert.Equal(new[] { "phase kernel trained with learning rate 0.03 (now 0.01): --phase-lr kernel=0.03" },
            Ofa(rates: new Dictionary<string, double> { ["kernel"] = 0.01 }).Conflicts(saved, InKernel));
        Assert.Equal(new[] { "phase kernel trained with 1 subnet(s) per step (now 3): --phase-subnets kernel=1" },
            Ofa(subnets: new() { ["kernel"] = 3 }).Conflicts(saved, InKernel));
        Assert.Equal(new[] { "phase teacher trained with 6 epoch(s) (now 8): --phase-epochs teacher=6" },
            Ofa(epochs: new() { ["teacher"] = 8 }).Conflicts(saved, InKernel));
        Assert.Equal(new[] { "phase kernel trained with --sandwich largest (now full)" },
            Ofa(sandwich: SandwichRule.Full).Conflicts(saved, InKernel));
        Assert.Equal(new[] { "--seed 42 (now 7)", "--batch-size 128 (now 64)" }, Ofa(seed: 7, batch: 64).Conflicts(saved, InKernel));
        var data = saved with { Data = RunPlan.Describe("fashion-mnist", 55000, 5000) };
        Assert.Equal(new[] { "the run trained on fashion-mnist: 55000 train / 5000 validation images (now fashion-mnist: 5500 train / 5000 validation images): the same --data, --validation and --train-limit" },
            (data with { Data = RunPlan.Describe("fashion-mnist", 5500, 5000) }).Conflicts(data, InKernel));
        Assert.Empty((saved with { Data = data.Data }).Conflicts(saved, InKernel)); // a plan from before the data was recorded
        Assert.Equal(new[] { "the run started from teacher.safetensors (SHA-256 0123456789abcdef) (now random weights): --init the same bundle or file" },
            Ofa().Conflicts(saved with { Start = "teacher.safetensors (SHA-256 0123456789abcdef)" }, InKernel));
        Assert.Equal(new[] { "the run started from random weights (now SubnetGen.Supernet.FashionMnist.OFA 1.5.0): resume without --init" },
            (Ofa() with { Start = "SubnetGen.Supernet.FashionMnist.OFA 1.5.0" }).Conflicts(saved, InKernel));
    }

    [Fact]
    public void A_phase_not_yet_begun_may_change_and_is_reported_as_a_change()
    {
        var saved = Ofa();
        var later = Ofa(rates: Schedule.ParseLearningRates("ofa"), subnets: new() { [Schedule.FineTune] = 1 }, epochs: new() { [Schedule.FineTune] = 2 });
        // The kernel phase's OFA rate is the default 0.03, so only later phases change.
        Assert.Empty(later.Conflicts(saved, InKernel));
        var changes = later.Changes(saved, InKernel);
        Assert.Equal(new[] { "depth-34", "depth-234", "expand-46", "expand-346", Schedule.FineTune }, changes.Select(c => c.Split(' ')[0]));
        Assert.Contains("finetune 2 ep × 1 at lr 0.03, sandwich largest (planned: 0 ep × 4 at lr 0.03, sandwich largest)", changes);

        // At a phase boundary (kernel finished, depth-34 not begun) depth-34 is still free; kernel is not.
        var boundary = new RunPosition(2, 0, 0, Array.Empty<string>());
        Assert.Empty(later.Conflicts(saved, boundary));
        Assert.Single(Ofa(rates: new Dictionary<string, double> { ["kernel"] = 0.01 }).Conflicts(saved, boundary));
        // The teacher phase never has a sandwich rule, so a finished teacher may go on with any.
        Assert.Empty(Ofa(sandwich: SandwichRule.Full).Conflicts(saved, new RunPosition(0, 6, 0, Array.Empty<string>())));
    }
}
