using System.Linq;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Space;

public class SubnetConfigTests
{
    [Fact]
    public void CompactFormRoundTrips()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var config = spec.Space.Largest(spec.Stages.Count);
        var text = config.ToString();
        Assert.StartsWith("k7e6,k7e6,k7e6,k7e6|", text);
        Assert.Equal(config, SubnetConfig.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("k3e3,x5e4")]
    [InlineData("k3e3,k5")]
    public void ParseRejectsMalformed(string text) => Assert.Throws<System.FormatException>(() => SubnetConfig.Parse(text));

    [Fact]
    public void CompOfaSpaceHas243ConfigsAllDistinctAndLegal()
    {
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        var all = spec.Space.Enumerate(spec.Stages.Count).ToList();
        Assert.Equal(243, spec.Space.Count(spec.Stages.Count));
        Assert.Equal(243, all.Select(c => c.ToString()).Distinct().Count());
        Assert.All(all, c => Assert.True(spec.Space.Contains(c, out _)));
    }

    [Fact]
    public void OfaSpaceCountMatchesClosedForm()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        long perStage = 81 + 729 + 6561; // (3 kernels × 3 expands)^d for d = 2, 3, 4
        Assert.Equal(perStage * perStage * perStage * perStage, spec.Space.Count(4));
        Assert.Equal(long.MaxValue, spec.Space.Count(5)); // 2.2e19 saturates: far beyond exhaustive search
        Assert.Equal(System.Math.Pow(perStage, 5), spec.Space.ApproximateCount(5), 1e-12 * System.Math.Pow(perStage, 5));
        Assert.Equal("2.18e+19", spec.Space.CountText(5)); // 7371^5 = 2.1758e19
        Assert.Equal((perStage * perStage).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), spec.Space.CountText(2));
    }

    [Fact]
    public void CoupledSpaceRejectsUncoupledExpand()
    {
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        var config = SubnetConfig.Parse("k3e6,k3e6|k5e3,k5e3|k3e3,k3e3|k3e3,k3e3|k5e3,k5e3");
        Assert.False(spec.Space.Contains(config, out var reason));
        Assert.Contains("couples to expand ratio 3", reason);
    }

    [Fact]
    public void EncodingIsOneHotPerActiveSlotAndZeroBeyondDepth()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var config = SubnetConfig.Parse("k3e3,k5e4|k7e6,k7e6,k7e6,k7e6|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3");
        var x = ArchitectureEncoding.Encode(spec, config);
        Assert.Equal(5 * 4 * 6, x.Length);
        Assert.Equal(new float[] { 1, 0, 0, 1, 0, 0 }, x.Take(6));          // k3 e3
        Assert.Equal(new float[] { 0, 1, 0, 0, 1, 0 }, x.Skip(6).Take(6));  // k5 e4
        Assert.All(x.Skip(12).Take(12), v => Assert.Equal(0f, v));         // slots 3-4 of stage 1
        Assert.Equal(2 * (2 + 4 + 2 + 2 + 2), x.Sum(v => v));
    }
}
