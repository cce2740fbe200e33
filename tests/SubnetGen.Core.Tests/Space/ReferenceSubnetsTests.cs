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
}
