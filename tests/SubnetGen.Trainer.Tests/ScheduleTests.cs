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
        Assert.Equal(new[] { "teacher", "kernel", "depth-34", "depth-234", "expand-46", "expand-346" }, phases.Select(p => p.Name));
        Assert.Equal(new[] { "expand-46" }, phases.Where(p => p.SortChannelsFirst).Select(p => p.Name));
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

    [Fact]
    public void The_sandwich_rule_adds_the_largest_subnet_to_every_distilling_phase_and_only_those()
    {
        var plain = Ofa(new Dictionary<string, int>());
        var sandwich = Schedule.Create(DefaultSupernets.FashionMnist(Family.Ofa), 1.0, null, 0.1, 0.03, sandwich: true);
        Assert.Equal(plain.Where(p => p.Distill).Select(p => p.Name), sandwich.Where(p => p.TrainLargest).Select(p => p.Name));
        Assert.False(sandwich.Single(p => p.Name == "teacher").TrainLargest);
        foreach (var (a, b) in plain.Zip(sandwich))
        {
            Assert.Equal(a.SubnetsPerStep, b.SubnetsPerStep);
            Assert.Equal(a.SubnetsPerStep + (b.TrainLargest ? 1 : 0), b.ForwardsPerStep);
        }
        Assert.Equal("expand-346 2 ep × 4 subnet(s)/step + largest", sandwich.Single(p => p.Name == "expand-346").Describe());
        Assert.Equal("expand-346 2 ep × 4 subnet(s)/step", plain.Single(p => p.Name == "expand-346").Describe());
    }
}
