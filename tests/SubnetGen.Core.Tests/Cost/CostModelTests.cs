using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Cost;

/// <summary>
/// MACs, parameters and MOOFA memory against arithmetic written out from the layer shapes of the default
/// Fashion-MNIST supernets: input 28×28×1, stem 3×3 s1 → 16, first block dw3 + project 16→16,
/// stage widths 16/24/40/48/64 with strides 2/2/2/1/1 (resolutions 14/7/4/4/4), SE in stages 2, 4, 5,
/// head 64→384 (1×1, at 4×4), pool, 384→512, 512→10.
/// </summary>
public class CostModelTests
{
    // One MBConv block: expand 1×1 at the input resolution, depthwise k×k (stride to the output resolution),
    // SE (reduce + expand, two matrix-vector products), project 1×1.
    private static long BlockMacs(int inC, int mid, int outC, int inRes, int outRes, int k, int seReduced) =>
        (long)inRes * inRes * inC * mid + (long)outRes * outRes * mid * k * k + 2L * mid * seReduced + (long)outRes * outRes * mid * outC;

    // Weights + folded-BN biases of the same block.
    private static long BlockParams(int inC, int mid, int outC, int k, int seReduced) =>
        (long)inC * mid + mid + k * k * mid + mid + (seReduced == 0 ? 0 : seReduced * mid + seReduced + mid * seReduced + mid) + (long)mid * outC + outC;

    private const long StemAndFirstMacs = 28 * 28 * 16 * 3 * 3 * 1 + 28 * 28 * 16 * 3 * 3 + 28 * 28 * 16 * 16;
    private const long StemAndFirstParams = 16 * 9 * 1 + 16 + 9 * 16 + 16 + 16 * 16 + 16;
    private const long HeadMacs = 4 * 4 * 64 * 384 + 384 * 512 + 512 * 10;
    private const long HeadParams = 64 * 384 + 384 + 384 * 512 + 512 + 512 * 10 + 10;

    private static SubnetCost Measure(Family family, string architecture)
    {
        var spec = DefaultSupernets.FashionMnist(family);
        return CostModel.Measure(GraphBuilder.Build(spec, SubnetConfig.Parse(architecture)));
    }

    [Fact]
    public void SmallestCompOfaSubnetMatchesHandArithmetic()
    {
        // Every block e3: middle = make_divisible(3·Cin, 8); SE reduced = make_divisible(mid/4, 8): 48→16, 72→24, 120→32, 144→40, 192→48.
        long macs = StemAndFirstMacs
            + BlockMacs(16, 48, 16, 28, 14, 3, 0) + BlockMacs(16, 48, 16, 14, 14, 3, 0)      // stage 1, k3
            + BlockMacs(16, 48, 24, 14, 7, 5, 16) + BlockMacs(24, 72, 24, 7, 7, 5, 24)       // stage 2, k5, SE
            + BlockMacs(24, 72, 40, 7, 4, 3, 0) + BlockMacs(40, 120, 40, 4, 4, 3, 0)         // stage 3, k3
            + BlockMacs(40, 120, 48, 4, 4, 3, 32) + BlockMacs(48, 144, 48, 4, 4, 3, 40)      // stage 4, k3, SE
            + BlockMacs(48, 144, 64, 4, 4, 5, 40) + BlockMacs(64, 192, 64, 4, 4, 5, 48)      // stage 5, k5, SE
            + HeadMacs;
        long parameters = StemAndFirstParams
            + BlockParams(16, 48, 16, 3, 0) + BlockParams(16, 48, 16, 3, 0)
            + BlockParams(16, 48, 24, 5, 16) + BlockParams(24, 72, 24, 5, 24)
            + BlockParams(24, 72, 40, 3, 0) + BlockParams(40, 120, 40, 3, 0)
            + BlockParams(40, 120, 48, 3, 32) + BlockParams(48, 144, 48, 3, 40)
            + BlockParams(48, 144, 64, 5, 40) + BlockParams(64, 192, 64, 5, 48)
            + HeadParams;

        var cost = Measure(Family.CompOfa, "k3e3,k3e3|k5e3,k5e3|k3e3,k3e3|k3e3,k3e3|k5e3,k5e3");

        Assert.Equal(macs, cost.Macs);
        Assert.Equal(parameters, cost.Parameters);
        Assert.True(cost.WeightBytes >= 4 * parameters, "alignment padding can only add bytes");
        Assert.Equal(0, cost.WeightBytes % 64);

        // MOOFA memory (input + output + weights, elements). Candidates: the stem, the first block's depthwise plus
        // its shortcut, stage 1 block 1's expand at 28×28 and its strided depthwise, a later depthwise with its
        // shortcut, the head's final expand. Stage 1's expand is the largest.
        long stem = 28 * 28 * 1 + 28 * 28 * 16 + 16 * 9;
        long firstDw = 28 * 28 * 16 * 2 + 9 * 16 + 28 * 28 * 16;
        long stage1Expand = 28 * 28 * 16 + 28 * 28 * 48 + 16 * 48;
        long stage1Dw = 28 * 28 * 48 + 14 * 14 * 48 + 9 * 48;
        long stage1Block2Dw = 14 * 14 * 48 * 2 + 9 * 48 + 14 * 14 * 16;
        long head = 4 * 4 * 64 + 4 * 4 * 384 + 64 * 384;
        Assert.Equal(new[] { stem, firstDw, stage1Expand, stage1Dw, stage1Block2Dw, head }.Max(), cost.MoofaPeakElements);
        Assert.Equal(50944, stage1Expand);
    }

    [Fact]
    public void LargestCompOfaSubnetMatchesHandArithmetic()
    {
        // Depth 4, e6: middle = 6·Cin: 96, 144, 240, 288, 384; SE reduced: 96→24, 144→40, 240→64, 288→72, 384→96.
        long macs = StemAndFirstMacs
            + BlockMacs(16, 96, 16, 28, 14, 3, 0) + 3 * BlockMacs(16, 96, 16, 14, 14, 3, 0)
            + BlockMacs(16, 96, 24, 14, 7, 5, 24) + 3 * BlockMacs(24, 144, 24, 7, 7, 5, 40)
            + BlockMacs(24, 144, 40, 7, 4, 3, 0) + 3 * BlockMacs(40, 240, 40, 4, 4, 3, 0)
            + BlockMacs(40, 240, 48, 4, 4, 3, 64) + 3 * BlockMacs(48, 288, 48, 4, 4, 3, 72)
            + BlockMacs(48, 288, 64, 4, 4, 5, 72) + 3 * BlockMacs(64, 384, 64, 4, 4, 5, 96)
            + HeadMacs;
        long parameters = StemAndFirstParams
            + BlockParams(16, 96, 16, 3, 0) + 3 * BlockParams(16, 96, 16, 3, 0)
            + BlockParams(16, 96, 24, 5, 24) + 3 * BlockParams(24, 144, 24, 5, 40)
            + BlockParams(24, 144, 40, 3, 0) + 3 * BlockParams(40, 240, 40, 3, 0)
            + BlockParams(40, 240, 48, 3, 64) + 3 * BlockParams(48, 288, 48, 3, 72)
            + BlockParams(48, 288, 64, 5, 72) + 3 * BlockParams(64, 384, 64, 5, 96)
            + HeadParams;

        var cost = Measure(Family.CompOfa, "k3e6,k3e6,k3e6,k3e6|k5e6,k5e6,k5e6,k5e6|k3e6,k3e6,k3e6,k3e6|k3e6,k3e6,k3e6,k3e6|k5e6,k5e6,k5e6,k5e6");

        Assert.Equal(macs, cost.Macs);
        Assert.Equal(parameters, cost.Parameters);
        // MOOFA peak: stage 1 block 1's strided depthwise, 28×28×96 in, 14×14×96 out, 9·96 weights.
        Assert.Equal(28 * 28 * 96 + 14 * 14 * 96 + 9 * 96, cost.MoofaPeakElements);
    }

    [Fact]
    public void MixedOfaSubnetMatchesHandArithmetic()
    {
        // Per-block kernels and expands. Middles: 16·3=48, 16·6=96, 16·4=64, 24·3=72, 24·6=144, 40·4=160, 40·3=120, 48·6=288,
        // 48·4=192, 64·3=192. SE reduced: 64→16, 72→24, 144→40, 120→32, 288→72, 192→48.
        long macs = StemAndFirstMacs
            + BlockMacs(16, 48, 16, 28, 14, 7, 0) + BlockMacs(16, 96, 16, 14, 14, 3, 0)                                      // k7e3, k3e6
            + BlockMacs(16, 64, 24, 14, 7, 5, 16) + BlockMacs(24, 72, 24, 7, 7, 3, 24) + BlockMacs(24, 144, 24, 7, 7, 7, 40) // k5e4, k3e3, k7e6
            + BlockMacs(24, 72, 40, 7, 4, 3, 0) + BlockMacs(40, 160, 40, 4, 4, 5, 0)                                         // k3e3, k5e4
            + BlockMacs(40, 120, 48, 4, 4, 3, 32) + BlockMacs(48, 288, 48, 4, 4, 7, 72) + BlockMacs(48, 192, 48, 4, 4, 5, 48) // k3e3, k7e6, k5e4,
            + BlockMacs(48, 192, 48, 4, 4, 3, 48)                                                                            // k3e4
            + BlockMacs(48, 192, 64, 4, 4, 3, 48) + BlockMacs(64, 192, 64, 4, 4, 3, 48)
            + HeadMacs;

        var cost = Measure(Family.Ofa, "k7e3,k3e6|k5e4,k3e3,k7e6|k3e3,k5e4|k3e3,k7e6,k5e4,k3e4|k3e4,k3e3");

        Assert.Equal(macs, cost.Macs);
    }

    [Fact]
    public void CostGrowsFromSmallestToLargestInEveryFamily()
    {
        foreach (Family family in new[] { Family.Ofa, Family.CompOfa, Family.MoOfa })
        {
            var spec = DefaultSupernets.FashionMnist(family);
            var small = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Smallest(spec.Stages.Count)));
            var large = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Largest(spec.Stages.Count)));
            Assert.True(small.Macs < large.Macs);
            Assert.True(small.Parameters < large.Parameters);
            Assert.True(small.PeakMemoryBytes <= large.PeakMemoryBytes);
            Assert.Equal(small.Arena.PeakMemoryBytes, small.PeakMemoryBytes);
        }
    }

    [Fact]
    public void LayerKeyMacsAgreeWithTheCostModel()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var graph = GraphBuilder.Build(spec, spec.Space.Largest(spec.Stages.Count));
        Assert.All(graph.Layers, layer => Assert.Equal(CostModel.LayerMacs(graph, layer), LayerKey.For(graph, layer).Macs));
    }
}
