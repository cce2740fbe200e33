using System;
using System.Collections.Generic;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Space;

/// <summary>
/// The supernet structures SubnetGen ships for 28×28×1 inputs with 10 classes (Fashion-MNIST).
/// OFA's MobileNetV3 layout adapted to small images: a stride-1 stem, five stages at
/// resolutions 14/7/4/4/4 and a slim head. The largest CompOFA subnet is 14.1 M MACs; the largest
/// OFA subnet (7×7 kernels everywhere, which CompOFA never uses) is 19.6 M, above the ~15 M aimed at:
/// OFA and CompOFA share one network so that their training costs compare like for like.
/// See docs/design-spaces.md for the table and the numbers behind it.
/// </summary>
public static class DefaultSupernets
{
    /// <summary>Fashion-MNIST mean and standard deviation of the training images (pixels in [0,1]).</summary>
    public static readonly float[] FashionMnistMean = { 0.2860f };
    public static readonly float[] FashionMnistStd = { 0.3530f };

    /// <summary>Kernel per stage for the coupled families (CompOFA's 3,5,3,3,5).</summary>
    public static readonly int[] CoupledKernels = { 3, 5, 3, 3, 5 };

    public static SupernetSpec FashionMnist(Family family) => family switch
    {
        Family.Ofa => Build(DesignSpace.Ofa(), OfaWidths, finalExpandRatio: 6),
        Family.CompOfa => Build(DesignSpace.CompOfa(CoupledKernels), OfaWidths, finalExpandRatio: 6),
        Family.MoOfa => Build(DesignSpace.MoOfa(CoupledKernels), MoOfaWidths, finalExpandRatio: 4),
    };

    // Widths of the five stages. OFA/CompOFA: MobileNetV3's progression scaled down.
    // MOOFA: wider middle stages and a 4x head, so that after the first stage every stage's MOOFA memory
    // (input + output + weights, elements) is about equal at the largest subnet (docs/design-spaces.md).
    private static readonly int[] OfaWidths = { 16, 24, 40, 48, 64 };
    private static readonly int[] MoOfaWidths = { 16, 48, 64, 64, 64 };

    private static readonly int[] Strides = { 2, 2, 2, 1, 1 };
    private static readonly Activation[] StageActivations = { Activation.Relu, Activation.Relu, Activation.HSwish, Activation.HSwish, Activation.HSwish };
    private static readonly bool[] StageSqueeze = { false, true, false, true, true };

    private static SupernetSpec Build(DesignSpace space, int[] widths, int finalExpandRatio)
    {
        var stages = new List<StageSpec>();
        for (int s = 0; s < widths.Length; s++)
            stages.Add(new StageSpec(widths[s], Strides[s], StageActivations[s], StageSqueeze[s], space.MaxDepth));
        int last = widths[widths.Length - 1];
        return new SupernetSpec(
            new InputSpec(28, 28, 1, FashionMnistMean, FashionMnistStd),
            new StemSpec(16, 3, 1, Activation.HSwish),
            new FirstBlockSpec(16, 3, Activation.Relu),
            stages,
            new HeadSpec(FinalExpandChannels: last * finalExpandRatio, FeatureMixChannels: 512),
            ClassCount: 10,
            space);
    }
}
