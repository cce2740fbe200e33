using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Space;

/// <summary>
/// "middle" is one subnet everywhere (the trainer's report, supernet.json, subnetgen evaluate): Core defines it,
/// and these are the configs written out by hand from the definition (middle depth 3, middle legal kernel,
/// middle or coupled expand ratio).
/// </summary>
public class ReferenceSubnetsTests
{
    [Theory]
    [InlineData(Family.Ofa, "k5e4,k5e4,k5e4|k5e4,k5e4,k5e4|k5e4,k5e4,k5e4|k5e4,k5e4,k5e4|k5e4,k5e4,k5e4")]
    [InlineData(Family.CompOfa, "k3e4,k3e4,k3e4|k5e4,k5e4,k5e4|k3e4,k3e4,k3e4|k3e4,k3e4,k3e4|k5e4,k5e4,k5e4")]
    [InlineData(Family.MoOfa, "k3e3,k3e3,k3e3|k5e3,k5e3,k5e3|k3e3,k3e3,k3e3|k3e3,k3e3,k3e3|k5e3,k5e3,k5e3")]
    public void Middle_is_middle_depth_kernel_and_expand(Family family, string expected)
    {
        var spec = DefaultSupernets.FashionMnist(family);
        var middle = spec.Space.Middle(spec.Stages.Count);
        Assert.Equal(expected, middle.ToString());
        Assert.True(spec.Space.Contains(middle, out var reason), reason);
        Assert.Equal(middle, ReferenceSubnets.ByName(spec, " Middle "));
    }

    [Fact]
    public void Names_resolve_to_smallest_and_largest_and_nothing_else()
    {
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        Assert.Equal(spec.Space.Smallest(spec.Stages.Count), ReferenceSubnets.ByName(spec, "smallest"));
        Assert.Equal(spec.Space.Largest(spec.Stages.Count), ReferenceSubnets.ByName(spec, "LARGEST"));
        Assert.Null(ReferenceSubnets.ByName(spec, "median"));
    }

    [Theory]
    [InlineData("largest", true, null)]
    [InlineData("k3e3,k3e3|k5e4,k5e4,k5e4|k3e3,k3e3|k3e3,k3e3|k5e3,k5e3", true, null)]
    [InlineData("median", false, "\"median\" is neither smallest, middle, largest nor an architecture")]
    [InlineData("k3e4,k3e4|k5e4,k5e4", false, "it has 2 stages, the supernet 5")]
    [InlineData("k7e3,k3e3|k5e3,k5e3|k3e3,k3e3|k3e3,k3e3|k5e3,k5e3", false, "is not in the supernet's compofa design space")]
    public void A_name_or_an_architecture_resolves_only_to_a_member_of_the_space(string text, bool resolves, string? error)
    {
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        Assert.Equal(resolves, ReferenceSubnets.TryResolve(spec, text, out var config, out string? message));
        if (resolves)
        {
            Assert.Null(message);
            Assert.True(spec.Space.Contains(config!, out _));
            Assert.Equal(text == "largest" ? "largest" : "custom", ReferenceSubnets.NameOf(spec, config!));
        }
        else
        {
            Assert.Null(config);
            Assert.Contains(error!, message);
        }
    }
}
