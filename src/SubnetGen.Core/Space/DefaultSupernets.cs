using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Space;

/// <summary>
/// The supernet structures SubnetGen trains, shaped by the data: OFA's MobileNetV3 layout (stem, a fixed first block,
/// five elastic stages, a slim head) with the strides chosen by <see cref="StrideRule"/> from the input's shorter side,
/// the widths scaled by a width multiplier, and the classifier sized to the class count. 28×28×1 with 10 classes
/// (Fashion-MNIST) gives the released supernets' structure: a stride-1 stem and stages at 14/7/4/4/4. The largest
/// CompOFA subnet there is 14.1 M MACs; the largest OFA one (7×7 kernels everywhere, which CompOFA never uses) 19.6 M.
/// OFA and CompOFA share one network so that their training costs compare like for like. docs/design-spaces.md
/// has the tables for several geometries and the reasons.
/// </summary>
public static class DefaultSupernets
{
    /// <summary>Fashion-MNIST mean and standard deviation of the training images (pixels in [0,1]).</summary>
    public static readonly float[] FashionMnistMean = { 0.2860f };
    public static readonly float[] FashionMnistStd = { 0.3530f };

    /// <summary>Kernel per stage for the coupled families (CompOFA's 3,5,3,3,5).</summary>
    public static readonly int[] CoupledKernels = { 3, 5, 3, 3, 5 };

    /// <summary>Input sizes the structure rule covers (shorter and longer side): below 16 the stem has nothing to reduce; above 224, OFA's own range, cost grows past any device budget.</summary>
    public const int MinInputSize = 16, MaxInputSize = 224;

    /// <summary>Class counts a supernet may have.</summary>
    public const int MinClasses = 2, MaxClasses = 1000;

    /// <summary>The released supernets' structure: 28×28×1, 10 classes.</summary>
    public static SupernetSpec FashionMnist(Family family) =>
        For(family, new InputSpec(28, 28, 1, FashionMnistMean, FashionMnistStd), classCount: 10);

    /// <summary>
    /// The family's structure for images of <paramref name="input"/>'s geometry and <paramref name="classCount"/> classes.
    /// <paramref name="widthMultiplier"/> scales every width (rounded to multiples of 8, at least 8).
    /// <paramref name="resolutions"/> makes the input resolution elastic (<see cref="DefaultResolutions"/>; null or one value: not elastic).
    /// </summary>
    /// <exception cref="ArgumentException">The geometry, class count, multiplier or resolutions are outside what the rule covers.</exception>
    public static SupernetSpec For(Family family, InputSpec input, int classCount, double widthMultiplier = 1.0, IReadOnlyList<int>? resolutions = null)
    {
        Check(input, classCount, widthMultiplier);
        int shorter = Math.Min(input.Height, input.Width);
        if (resolutions is not null && resolutions.Any(r => r < MinInputSize || r > shorter))
            throw new ArgumentException($"Resolutions {string.Join(", ", resolutions)} must lie within {MinInputSize}–{shorter}, the training images' shorter side.");
        var space = (family switch
        {
            Family.Ofa => DesignSpace.Ofa(),
            Family.CompOfa => DesignSpace.CompOfa(CoupledKernels),
            Family.MoOfa => DesignSpace.MoOfa(CoupledKernels),
        }).WithResolutions(resolutions);
        var strides = StrideRule.For(Math.Min(input.Height, input.Width));
        int Scale(int width) => Channels.MakeDivisible(width * widthMultiplier, 8);
        var skeleton = new Skeleton(input, classCount, space, strides, Scale(16), Scale(512));
        return family switch
        {
            Family.Ofa or Family.CompOfa => skeleton.Build(OfaWidths.Select(Scale).ToArray(), finalExpandRatio: 6),
            Family.MoOfa => skeleton.Build(MoofaWidths.For(skeleton, widthMultiplier, Scale), finalExpandRatio: 4),
        };
    }

    /// <summary>
    /// The resolutions a supernet trains and searches by default (OFA's elastic resolution, scaled to small images): for
    /// a shorter side s of at least 32 pixels, s and about 7/8 and 3/4 of it, rounded down to multiples of 4
    /// (64 → 48/56/64, 40 → 28/32/40, 224 → 168/196/224); below 32, s alone (28 → 28, as the released supernets).
    /// </summary>
    public static IReadOnlyList<int> DefaultResolutions(int shorterSide)
    {
        if (shorterSide < 32) return new[] { shorterSide };
        int Down4(double v) => Math.Max(MinInputSize, (int)Math.Floor(v / 4) * 4);
        return new[] { Down4(0.75 * shorterSide), Down4(0.875 * shorterSide), shorterSide }.Distinct().OrderBy(r => r).ToArray();
    }

    /// <summary>The rule's limits, as ArgumentExceptions a caller turns into its own coded error.</summary>
    public static void Check(InputSpec input, int classCount, double widthMultiplier)
    {
        if (input.Channels is not (1 or 3))
            throw new ArgumentException($"Images have {input.Channels} channels; supernets take 1 (grey) or 3 (colour).");
        if (Math.Min(input.Height, input.Width) < MinInputSize || Math.Max(input.Height, input.Width) > MaxInputSize)
            throw new ArgumentException($"Images of {input.Width}×{input.Height} are outside {MinInputSize}–{MaxInputSize} pixels a side.");
        if (classCount is < MinClasses or > MaxClasses)
            throw new ArgumentException($"{classCount} classes: a supernet classifies {MinClasses} to {MaxClasses}.");
        if (!(widthMultiplier >= 0.25 && widthMultiplier <= 4))
            throw new ArgumentException($"Width multiplier {widthMultiplier}: use 0.25 to 4.");
    }

    // OFA/CompOFA widths of the five stages: MobileNetV3's progression scaled down for small images.
    private static readonly int[] OfaWidths = { 16, 24, 40, 48, 64 };

    private static readonly Activation[] StageActivations = { Activation.Relu, Activation.Relu, Activation.HSwish, Activation.HSwish, Activation.HSwish };
    private static readonly bool[] StageSqueeze = { false, true, false, true, true };

    /// <summary>Everything of a structure but the stage widths and the head's expand ratio.</summary>
    internal sealed record Skeleton(InputSpec Input, int ClassCount, DesignSpace Space, StrideRule Strides, int StemWidth, int FeatureMix)
    {
        public SupernetSpec Build(IReadOnlyList<int> widths, int finalExpandRatio)
        {
            var stages = new List<StageSpec>();
            for (int s = 0; s < widths.Count; s++)
                stages.Add(new StageSpec(widths[s], Strides.Stages[s], StageActivations[s], StageSqueeze[s], Space.MaxDepth));
            return new SupernetSpec(
                Input,
                new StemSpec(StemWidth, 3, Strides.Stem, Activation.HSwish),
                new FirstBlockSpec(StemWidth, 3, Activation.Relu),
                stages,
                new HeadSpec(FinalExpandChannels: widths[widths.Count - 1] * finalExpandRatio, FeatureMixChannels: FeatureMix),
                ClassCount,
                Space);
        }
    }
}

/// <summary>
/// Which layers downsample by 2: as many as bring the last stage to 4–7 pixels on the input's shorter side, at most
/// five (OFA: 224 → 7). They are taken in the order stage 1, stage 2, stage 3, stem, stage 5 (stage 4 never), so
/// 28 pixels gives a stride-1 stem and stage strides 2/2/2/1/1 (28 → 14 → 7 → 4), and 224 gives OFA's stride-2 stem
/// and 2/2/2/1/2 (224 → 112 → 56 → 28 → 14 → 7). Each stride-2 layer maps n pixels to ⌊(n − 1) / 2⌋ + 1.
/// </summary>
public sealed record StrideRule(int Stem, IReadOnlyList<int> Stages)
{
    /// <summary>The smallest size the last stage is brought down to, and the most stride-2 layers there are.</summary>
    public const int MinLastSize = 4, MaxDownsamplings = 5;

    // Index -1 is the stem, 0–4 the stages.
    private static readonly int[] Order = { 0, 1, 2, -1, 4 };

    public static StrideRule For(int shorterSide)
    {
        int halvings = 0, size = shorterSide;
        while (halvings < MaxDownsamplings && (size - 1) / 2 + 1 >= MinLastSize)
        {
            size = (size - 1) / 2 + 1;
            halvings++;
        }
        int stem = 1;
        var stages = new[] { 1, 1, 1, 1, 1 };
        foreach (int layer in Order.Take(halvings))
        {
            if (layer < 0) stem = 2;
            else stages[layer] = 2;
        }
        return new StrideRule(stem, stages);
    }

    /// <summary>The shorter side after every stride-2 layer: the last stage's size.</summary>
    public int LastSize(int shorterSide)
    {
        int size = (shorterSide - 1) / Stem + 1;
        foreach (int s in Stages) size = (size - 1) / s + 1;
        return size;
    }
}

/// <summary>
/// MOOFA's widths (Girard et al.): a stage's memory — input + output + weights of its largest layer, in elements, at
/// the largest subnet — should match the stage before it, since the network's peak is their maximum and a memory budget
/// is wasted on stages far below it. The first two stages keep OFA's widths (the first runs at the stem's resolution,
/// the second sets the level); each later stage is widened from its OFA width (or the width before it, if larger) in
/// steps of 8 until its memory reaches the stage before it, up to 4 × OFA's last width. The head expands 4× (OFA: 6×).
/// At 28 pixels and multiplier 1 the released MOOFA supernet's hand-tuned widths stay, as the preset
/// <see cref="FashionMnistPreset"/> (16/48/64/64/64).
/// </summary>
internal static class MoofaWidths
{
    private static readonly int[] OfaWidths = { 16, 24, 40, 48, 64 };

    /// <summary>The released MOOFA supernet's widths for 28×28 images.</summary>
    public static readonly int[] FashionMnistPreset = { 16, 48, 64, 64, 64 };

    public static int[] For(DefaultSupernets.Skeleton skeleton, double widthMultiplier, Func<int, int> scale)
    {
        if (skeleton.Input.Height == 28 && skeleton.Input.Width == 28 && widthMultiplier == 1.0) return FashionMnistPreset.ToArray();
        return ByRule(skeleton, scale);
    }

    /// <summary>The rule alone, for every geometry (the tests check its balance).</summary>
    public static int[] ByRule(DefaultSupernets.Skeleton skeleton, Func<int, int> scale)
    {
        var widths = OfaWidths.Select(scale).ToArray();
        int cap = 4 * widths[widths.Length - 1];
        for (int s = 2; s < widths.Length; s++)
        {
            widths[s] = Math.Max(widths[s], widths[s - 1]);
            long target = StageMemory(skeleton, widths, s - 1);
            while (StageMemory(skeleton, widths, s) < target && widths[s] < cap) widths[s] += 8;
        }
        return widths;
    }

    private static long StageMemory(DefaultSupernets.Skeleton skeleton, int[] widths, int stage)
    {
        var spec = skeleton.Build(widths, finalExpandRatio: 4);
        var graph = GraphBuilder.Build(spec, spec.Space.Largest(spec.Stages.Count));
        var perLayer = MoofaMemory.PerLayer(graph);
        string prefix = "stages." + stage.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
        long memory = 0;
        for (int i = 0; i < graph.Layers.Count; i++)
            if (graph.Layers[i].Name.StartsWith(prefix, StringComparison.Ordinal)) memory = Math.Max(memory, perLayer[i]);
        return memory;
    }
}
