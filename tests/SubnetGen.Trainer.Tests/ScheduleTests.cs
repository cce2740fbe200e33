using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Tests;

public sealed class ScheduleTests
{
    private static IReadOnlyList<Phase> Ofa(Dictionary<string, int> overrides) =>
        Schedule.Create(DefaultSupernets.FashionMnist(Family.Ofa), 1.0, overrides, 0.1, 0.03);

    [Fact]
    public void Ofa_ReSortsChannels_AtTheStartOfTheFirstExpandPhase()
    {
        var phases = Ofa(new Dictionary<string, int>());
        Assert.Equal(new[] { "teacher", "kernel", "depth-34", "depth-234", "expand-46", "expand-346", Schedule.FineTune }, phases.Select(p => p.Name));
        Assert.Equal(new[] { "expand-46" }, phases.Where(p => p.SortChannelsFirst).Select(p => p.Name));
    }

    [Theory]
    [InlineData(Family.Ofa, 4)]
    [InlineData(Family.CompOfa, 2)]
    [InlineData(Family.MoOfa, 2)]
    public void A_fresh_run_never_fine_tunes_and_a_run_from_a_trained_bundle_only_fine_tunes(Family family, int subnetsPerStep)
    {
        var spec = DefaultSupernets.FashionMnist(family);
        var fresh = Schedule.Create(spec, 2.0, null, 0.1, 0.03);
        Assert.Equal(0, fresh[^1].Epochs); // --epochs-scale does not give it epochs either
        Assert.All(fresh.Take(fresh.Count - 1), p => Assert.True(p.Epochs > 0, p.Name));

        var fromTrained = Schedule.Create(spec, 1.0, null, 0.1, 0.03, SandwichRule.Full, start: StartingWeights.Supernet);
        var trained = Assert.Single(fromTrained, p => p.Epochs > 0);
        Assert.Equal(Schedule.FineTune, trained.Name);
        Assert.Equal(1, trained.Epochs);
        Assert.True(trained.Distill);
        Assert.Equal(SandwichRule.Full, trained.Sandwich);
        Assert.Equal(0.03, trained.LearningRate);
        Assert.Equal(subnetsPerStep, trained.SubnetsPerStep);
        // It draws from the whole space, as the last phase and the predictor do.
        Assert.Equal(Schedule.FinalSampler(spec).Describe(), trained.Sampler.Describe());
        Assert.Equal(fromTrained[^2].Sampler.Describe(), trained.Sampler.Describe());
        // --phase-epochs still decides exactly.
        var more = Schedule.Create(spec, 1.0, new Dictionary<string, int> { [Schedule.FineTune] = 3 }, 0.1, 0.03, start: StartingWeights.Supernet);
        Assert.Equal(3, more.Single(p => p.Epochs > 0).Epochs);
    }

    [Fact]
    public void Fine_tuning_never_re_sorts_channels_even_when_both_expand_phases_are_skipped()
    {
        var phases = Ofa(new Dictionary<string, int> { ["expand-46"] = 0, ["expand-346"] = 0, [Schedule.FineTune] = 1 });
        Assert.DoesNotContain(phases, p => p.Epochs > 0 && p.SortChannelsFirst);
        Assert.False(phases[^1].SortChannelsFirst);
    }

    [Fact]
    public void A_skipped_expand_46_hands_the_channel_sort_to_expand_346()
    {
        var phases = Ofa(new Dictionary<string, int> { ["depth-34"] = 0, ["expand-46"] = 0, ["expand-346"] = 1 });
        Assert.Equal(0, phases.Single(p => p.Name == "expand-46").Epochs);
        var last = phases.Single(p => p.Name == "expand-346");
        Assert.True(last.SortChannelsFirst);
        Assert.Equal(1, last.Epochs);
        Assert.False(phases.Single(p => p.Name == "depth-234").SortChannelsFirst);
    }

    [Theory]
    [InlineData("largest", 1, " + largest")]
    [InlineData("full", 2, " + largest + smallest")]
    public void The_sandwich_rule_adds_its_subnets_to_every_distilling_phase_and_only_those(string name, int extra, string suffix)
    {
        var rule = SandwichRules.Parse(name);
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var plain = Ofa(new Dictionary<string, int>());
        var sandwich = Schedule.Create(spec, 1.0, null, 0.1, 0.03, rule);
        Assert.Equal(plain.Where(p => p.Distill).Select(p => p.Name), sandwich.Where(p => p.Sandwich == rule).Select(p => p.Name));
        Assert.Equal(SandwichRule.None, sandwich.Single(p => p.Name == "teacher").Sandwich);
        foreach (var (a, b) in plain.Zip(sandwich))
        {
            Assert.Equal(a.SubnetsPerStep, b.SubnetsPerStep);
            Assert.Equal(a.SubnetsPerStep + (b.Distill ? extra : 0), b.StepSubnets(spec, new System.Random(1)).Count);
        }
        Assert.Equal("expand-346 2 ep × 4 subnet(s)/step" + suffix, sandwich.Single(p => p.Name == "expand-346").Describe());
        Assert.Equal("expand-346 2 ep × 4 subnet(s)/step", plain.Single(p => p.Name == "expand-346").Describe());
    }

    [Fact]
    public void The_full_rule_trains_the_largest_then_the_phases_smallest_then_the_same_samples_as_without_it()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var plain = Ofa(new Dictionary<string, int>()).Single(p => p.Name == "depth-234");
        var full = Schedule.Create(spec, 1.0, null, 0.1, 0.03, SandwichRule.Full).Single(p => p.Name == "depth-234");
        var subnets = full.StepSubnets(spec, new System.Random(7));
        Assert.Equal(2 + full.SubnetsPerStep, subnets.Count);
        Assert.Equal(spec.Space.Largest(spec.Stages.Count), subnets[0]);
        // depth-234 samples every depth and kernel but keeps the widest expand ratio: its smallest is depth 2, kernel 3, expand 6.
        var smallest = subnets[1];
        Assert.All(smallest.Stages, stage =>
        {
            Assert.Equal(spec.Space.Depths.Min(), stage.Count);
            Assert.All(stage, block => Assert.Equal((spec.Space.KernelSizes.Min(), spec.Space.MaxExpandRatio), (block.KernelSize, block.ExpandRatio)));
        });
        Assert.Equal(plain.StepSubnets(spec, new System.Random(7)), subnets.Skip(2));
    }

    [Fact]
    public void The_smallest_of_a_compound_phase_is_the_shallowest_coupled_config()
    {
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        var compound = Schedule.Create(spec, 1.0, null, 0.1, 0.03, SandwichRule.Full).Single(p => p.Name == "compound");
        Assert.Equal(spec.Space.Smallest(spec.Stages.Count), compound.Sampler.Smallest(spec));
    }

    [Fact]
    public void Step_costs_weigh_phases_as_their_measured_epoch_times_do()
    {
        // OFA 1.1.0 on the 2-core VM, undisturbed epochs: teacher ≈ 640 s, kernel 800 s, depth-234 920 s, expand-346 1,360–1,430 s.
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var cost = Ofa(new Dictionary<string, int>()).ToDictionary(p => p.Name, p => StepCost.Of(p, spec));
        Assert.InRange(cost["expand-346"] / cost["kernel"], 1.5, 2.1);
        Assert.InRange(cost["depth-234"] / cost["kernel"], 1.0, 1.6);
        Assert.InRange(cost["teacher"] / cost["kernel"], 0.7, 1.0);
        // The rule's subnets add to a step's cost: the largest a full forward and backward.
        var full = Schedule.Create(spec, 1.0, null, 0.1, 0.03, SandwichRule.Full).ToDictionary(p => p.Name, p => StepCost.Of(p, spec));
        Assert.True(full["kernel"] > cost["kernel"] + 3 * 19);
    }

    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.CompOfa)]
    public void A_run_from_a_teacher_network_skips_the_teacher_phase_and_runs_the_rest(Family family)
    {
        var spec = DefaultSupernets.FashionMnist(family);
        var fresh = Schedule.Create(spec, 1.0, null, 0.1, 0.03);
        var fromTeacher = Schedule.Create(spec, 1.0, null, 0.1, 0.03, start: StartingWeights.Teacher);
        Assert.Equal(0, fromTeacher.Single(p => p.Name == "teacher").Epochs);
        Assert.Equal(fresh.Skip(1).Select(p => (p.Name, p.Epochs)), fromTeacher.Skip(1).Select(p => (p.Name, p.Epochs)));
        // The channel sort stays where it was: the teacher never sorts.
        Assert.Equal(fresh.Select(p => p.SortChannelsFirst), fromTeacher.Select(p => p.SortChannelsFirst));
    }

    [Fact]
    public void Phase_learning_rates_replace_the_run_wide_ones_for_the_phases_they_name()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var rates = Schedule.ParseLearningRates("ofa,expand-346=0.01,teacher=0.2");
        var phases = Schedule.Create(spec, 1.0, null, 0.1, 0.03, learningRates: rates).ToDictionary(p => p.Name, p => p.LearningRate);
        Assert.Equal(0.2, phases["teacher"]);
        Assert.Equal(0.03, phases["kernel"]);
        Assert.Equal(0.0025, phases["depth-34"]);
        Assert.Equal(0.0075, phases["depth-234"]);
        Assert.Equal(0.0025, phases["expand-46"]);
        Assert.Equal(0.01, phases["expand-346"]); // a pair after "ofa" replaces its rate
        Assert.Equal(0.03, phases[Schedule.FineTune]); // not named: --shrink-lr
        Assert.Empty(Schedule.ParseLearningRates(null));
    }

    [Theory]
    [InlineData("kernel")]
    [InlineData("kernel=")]
    [InlineData("kernel=-0.1")]
    [InlineData("kernel=0")]
    [InlineData("kernel=1e-2x")]
    public void Malformed_phase_learning_rates_are_refused_with_the_expected_form(string text)
    {
        var error = Assert.Throws<System.ArgumentException>(() => Schedule.ParseLearningRates(text));
        Assert.Contains("phase=rate", error.Message);
    }

    [Fact]
    public void A_phase_learning_rate_for_a_phase_the_family_lacks_is_refused_with_its_phases()
    {
        // OFA's rates name the kernel phase, which CompOFA does not have.
        var error = Assert.Throws<System.ArgumentException>(() =>
            Schedule.Create(DefaultSupernets.FashionMnist(Family.CompOfa), 1.0, null, 0.1, 0.03, learningRates: Schedule.ParseLearningRates("ofa")));
        Assert.Contains("\"kernel\" is not part of the CompOfa schedule", error.Message);
        Assert.Contains("teacher, compound, finetune", error.Message);
    }

    [Fact]
    public void Phase_subnets_set_the_sampled_subnets_per_step_of_shrinking_phases_only()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var counts = Schedule.ParseOverrides("finetune=1,depth-234=3", "subnets");
        var phases = Schedule.Create(spec, 1.0, null, 0.1, 0.03, SandwichRule.Largest, subnetsPerStep: counts).ToDictionary(p => p.Name);
        Assert.Equal(1, phases[Schedule.FineTune].SubnetsPerStep);
        Assert.Equal(3, phases["depth-234"].SubnetsPerStep);
        Assert.Equal(4, phases["expand-346"].SubnetsPerStep);
        // The sandwich rule's largest comes on top of the sampled subnet.
        Assert.Equal(2, phases[Schedule.FineTune].StepSubnets(spec, new System.Random(3)).Count);
        Assert.Equal("finetune 0 ep × 1 subnet(s)/step + largest", phases[Schedule.FineTune].Describe());

        var teacher = Assert.Throws<System.ArgumentException>(() => Schedule.Create(spec, 1.0, null, 0.1, 0.03, subnetsPerStep: new Dictionary<string, int> { ["teacher"] = 2 }));
        Assert.Contains("\"teacher\" is not a shrinking phase", teacher.Message);
        var none = Assert.Throws<System.ArgumentException>(() => Schedule.Create(spec, 1.0, null, 0.1, 0.03, subnetsPerStep: new Dictionary<string, int> { ["kernel"] = 0 }));
        Assert.Contains("at least one subnet", none.Message);
        var malformed = Assert.Throws<System.ArgumentException>(() => Schedule.ParseOverrides("finetune=one", "subnets"));
        Assert.Contains("is not phase=subnets", malformed.Message);
    }
}
