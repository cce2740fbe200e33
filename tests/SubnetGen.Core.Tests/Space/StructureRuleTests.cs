using System;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.TestSupport;

namespace SubnetGen.Core.Tests.Space;

/// <summary>The supernet structure derived from the data: strides from the shorter side, MOOFA widths by rule, the limits.</summary>
public class StructureRuleTests
{
    private static InputSpec Input(int height, int width, int channels) =>
        new(height, width, channels, Enumerable.Repeat(0.5f, channels).ToArray(), Enumerable.Repeat(0.25f, channels).ToArray());

    [Fact]
    public void FashionMnist_IsTheFixedPoint_StrideOneStem_AndStages_2_2_2_1_1()
    {
        foreach (Family family in Enum.GetValues<Family>())
        {
            var spec = DefaultSupernets.FashionMnist(family);
            Assert.Equal(1, spec.Stem.Stride);
            Assert.Equal(new[] { 2, 2, 2, 1, 1 }, spec.Stages.Select(s => s.Stride));
            // The same structure as the rule gives any 28×28 grey input with 10 classes.
            var ruled = DefaultSupernets.For(family, spec.Input, 10);
            Assert.Equal(spec.Stages, ruled.Stages);
            Assert.Equal(spec.Head, ruled.Head);
        }
        Assert.Equal(new[] { 16, 24, 40, 48, 64 }, DefaultSupernets.FashionMnist(Family.CompOfa).Stages.Select(s => s.Width));
        Assert.Equal(new[] { 16, 48, 64, 64, 64 }, DefaultSupernets.FashionMnist(Family.MoOfa).Stages.Select(s => s.Width));
    }

    [Theory]
    [InlineData(16, 1, "1,1,1,1,1", 4)]  // 16 → 8 → 4 (two stride-2 stages)
    [InlineData(28, 1, "2,2,2,1,1", 4)]
    [InlineData(32, 1, "2,2,2,1,1", 4)]
    [InlineData(40, 1, "2,2,2,1,1", 5)]
    [InlineData(64, 2, "2,2,2,1,1", 4)]
    [InlineData(96, 2, "2,2,2,1,1", 6)]
    [InlineData(224, 2, "2,2,2,1,2", 7)] // OFA's ImageNet layout
    public void Strides_BringTheLastStageTo4To7Pixels(int side, int stem, string stages, int last)
    {
        var rule = StrideRule.For(side);
        if (side == 16) Assert.Equal(new[] { 2, 2, 1, 1, 1 }, rule.Stages);
        else Assert.Equal(stages, string.Join(",", rule.Stages));
        Assert.Equal(stem, rule.Stem);
        Assert.Equal(last, rule.LastSize(side));
        for (int n = DefaultSupernets.MinInputSize; n <= DefaultSupernets.MaxInputSize; n++)
            Assert.InRange(StrideRule.For(n).LastSize(n), StrideRule.MinLastSize, 7);
    }

    [Fact]
    public void NonSquareInput_IsPinnedOnTheShorterSide()
    {
        var spec = DefaultSupernets.For(Family.CompOfa, Input(40, 120, 3), 4);
        Assert.Equal(StrideRule.For(40).Stages, spec.Stages.Select(s => s.Stride));
        var graph = GraphBuilder.Build(spec, spec.Space.Largest(5));
        var beforeHead = graph.Tensors[graph.Layers.Single(l => l.Name == "head.final_expand").Input];
        Assert.Equal(5, beforeHead.Height);
        Assert.Equal(15, beforeHead.Width);
    }

    [Theory]
    [InlineData(32, 32, 3)]
    [InlineData(64, 64, 3)]
    [InlineData(96, 96, 3)]
    [InlineData(48, 80, 1)]
    [InlineData(224, 224, 3)]
    public void MoofaWidthsByRule_BalanceTheLaterStages(int height, int width, int channels)
    {
        var spec = DefaultSupernets.For(Family.MoOfa, Input(height, width, channels), 10);
        var memory = StageMemory(spec);
        // The stages after the first (which runs at the stem's resolution) are within ±25 % of their mean, as at 28×28.
        var later = memory.Skip(1).ToArray();
        double mean = later.Average();
        Assert.All(later, m => Assert.InRange(m, 0.75 * mean, 1.25 * mean));
        // Never narrower than OFA's widths, and never narrower than the stage before.
        var widths = spec.Stages.Select(s => s.Width).ToArray();
        Assert.All(widths.Zip(new[] { 16, 24, 40, 48, 64 }), p => Assert.True(p.First >= p.Second));
        Assert.True(widths.Skip(1).Zip(widths).All(p => p.First >= p.Second), string.Join("/", widths));
    }

    [Fact]
    public void WidthMultiplier_ScalesEveryWidthToMultiplesOf8()
    {
        var spec = DefaultSupernets.For(Family.CompOfa, Input(32, 32, 3), 10, widthMultiplier: 1.5);
        Assert.Equal(new[] { 24, 40, 64, 72, 96 }, spec.Stages.Select(s => s.Width)); // make_divisible(60, 8) = 64
        Assert.Equal(24, spec.Stem.OutChannels);
        Assert.Equal(768, spec.Head.FeatureMixChannels);
        Assert.Equal(96 * 6, spec.Head.FinalExpandChannels);
    }

    [Theory]
    [InlineData(15, 28, 1, 10, 1.0, "outside 16–224")]
    [InlineData(28, 225, 3, 10, 1.0, "outside 16–224")]
    [InlineData(28, 28, 2, 10, 1.0, "2 channels")]
    [InlineData(28, 28, 1, 1, 1.0, "1 classes")]
    [InlineData(28, 28, 1, 1001, 1.0, "1001 classes")]
    [InlineData(28, 28, 1, 10, 0.1, "Width multiplier 0.1")]
    public void OutsideTheRule_IsRefusedWithWhatIsWrong(int height, int width, int channels, int classes, double multiplier, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => DefaultSupernets.For(Family.CompOfa, Input(height, width, channels), classes, multiplier));
        Assert.Contains(expected, e.Message);
    }

    /// <summary>224×224×3 with 1000 classes, OFA's ImageNet geometry: built, costed, extracted and run, not trained.</summary>
    [Fact]
    public void ImageNetGeometry_Smoke()
    {
        var spec = DefaultSupernets.For(Family.CompOfa, Input(224, 224, 3), 1000);
        Assert.Equal(2, spec.Stem.Stride);
        var largest = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Largest(5)));
        var smallest = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Smallest(5)));
        // MobileNetV3-small territory (56–66 M MACs at 224): more than the 28×28 supernet's 14 M, well under OFA's 600 M.
        Assert.InRange(largest.Macs, 60_000_000, 400_000_000);
        Assert.InRange(smallest.Macs, 20_000_000, largest.Macs);

        var labels = Enumerable.Range(0, 1000).Select(i => "class" + i).ToArray();
        var bundle = RandomSupernet.Create(spec, "SubnetGen.Supernet.Smoke.CompOFA", "0.0.0", 3, labels);
        var extracted = SubnetExtractor.Extract(bundle, spec.Space.Smallest(5));
        var random = new Random(4);
        var pixels = Enumerable.Range(0, 224 * 224 * 3).Select(_ => (float)random.NextDouble()).ToArray();
        var result = ReferenceForward.Run(extracted.Graph, extracted.Layout, extracted.Weights, pixels);
        Assert.Equal(1000, result.Probabilities.Length);
        Assert.InRange(result.Probabilities.Sum(), 0.999f, 1.001f);
    }

    // Max MOOFA layer memory of each stage at the largest subnet.
    private static long[] StageMemory(SupernetSpec spec)
    {
        var graph = GraphBuilder.Build(spec, spec.Space.Largest(spec.Stages.Count));
        var perLayer = MoofaMemory.PerLayer(graph);
        var result = new long[spec.Stages.Count];
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var name = graph.Layers[i].Name;
            if (!name.StartsWith("stages.", StringComparison.Ordinal)) continue;
            int stage = name[7] - '0';
            result[stage] = Math.Max(result[stage], perLayer[i]);
        }
        return result;
    }
}
