using System.Collections.Generic;
using System.Globalization;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Bundle;

/// <summary>A tensor the supernet structure requires: its name and PyTorch (OIHW) shape.</summary>
public readonly record struct TensorRequirement(string Name, int[] Shape);

/// <summary>
/// The tensor names and shapes of docs/formats.md for a supernet structure — the contract between the
/// trainer's TorchSharp modules, the bundle reader and the extractor. Every BN contributes
/// <c>.bn.weight</c>, <c>.bn.bias</c>, <c>.bn.running_mean</c>, <c>.bn.running_var</c>.
/// </summary>
public static class SupernetTensors
{
    public static readonly string[] BatchNormSuffixes = { "weight", "bias", "running_mean", "running_var" };

    /// <summary>Name of the kernel transformation matrix from kernel <paramref name="from"/> to the next smaller legal kernel <paramref name="to"/>.</summary>
    public static string TransformName(string dwPrefix, int from, int to) =>
        dwPrefix + ".transform_" + from.ToString(CultureInfo.InvariantCulture) + "to" + to.ToString(CultureInfo.InvariantCulture);

    public static string BlockPrefix(int stage, int block) =>
        "stages." + stage.ToString(CultureInfo.InvariantCulture) + ".blocks." + block.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every tensor the supernet stores, in a fixed order (stem, first block, stages, head).</summary>
    public static IReadOnlyList<TensorRequirement> Expected(SupernetSpec spec)
    {
        var result = new List<TensorRequirement>();
        void Conv(string prefix, params int[] shape) => result.Add(new TensorRequirement(prefix + ".conv.weight", shape));
        void Bn(string prefix, int channels)
        {
            foreach (var suffix in BatchNormSuffixes) result.Add(new TensorRequirement(prefix + ".bn." + suffix, new[] { channels }));
        }

        int stemOut = spec.Stem.OutChannels;
        Conv("stem", stemOut, spec.Input.Channels, spec.Stem.Kernel, spec.Stem.Kernel);
        Bn("stem", stemOut);
        Conv("first.dw", stemOut, 1, spec.FirstBlock.Kernel, spec.FirstBlock.Kernel);
        Bn("first.dw", stemOut);
        Conv("first.project", spec.FirstBlock.OutChannels, stemOut, 1, 1);
        Bn("first.project", spec.FirstBlock.OutChannels);

        var kernels = spec.Space.KernelSizes;
        int kMax = spec.Space.MaxKernelSize;
        for (int s = 0; s < spec.Stages.Count; s++)
        {
            var stage = spec.Stages[s];
            for (int b = 0; b < stage.MaxDepth; b++)
            {
                string name = BlockPrefix(s, b);
                int cin = spec.BlockInputChannels(s, b), mid = spec.MaxMiddleChannels(s, b);
                Conv(name + ".expand", mid, cin, 1, 1);
                Bn(name + ".expand", mid);
                Conv(name + ".dw", mid, 1, kMax, kMax);
                Bn(name + ".dw", mid);
                for (int i = kernels.Count - 1; i > 0; i--)
                {
                    int to = kernels[i - 1];
                    result.Add(new TensorRequirement(TransformName(name + ".dw", kernels[i], to), new[] { to * to, to * to }));
                }
                if (stage.SqueezeExcite)
                {
                    int reduced = Channels.SqueezeChannels(mid);
                    result.Add(new TensorRequirement(name + ".se.reduce.weight", new[] { reduced, mid, 1, 1 }));
                    result.Add(new TensorRequirement(name + ".se.reduce.bias", new[] { reduced }));
                    result.Add(new TensorRequirement(name + ".se.expand.weight", new[] { mid, reduced, 1, 1 }));
                    result.Add(new TensorRequirement(name + ".se.expand.bias", new[] { mid }));
                }
                Conv(name + ".project", stage.Width, mid, 1, 1);
                Bn(name + ".project", stage.Width);
            }
        }

        var head = spec.Head;
        Conv("head.final_expand", head.FinalExpandChannels, spec.Stages[spec.Stages.Count - 1].Width, 1, 1);
        Bn("head.final_expand", head.FinalExpandChannels);
        Conv("head.feature_mix", head.FeatureMixChannels, head.FinalExpandChannels, 1, 1);
        result.Add(new TensorRequirement("head.classifier.weight", new[] { spec.ClassCount, head.FeatureMixChannels }));
        result.Add(new TensorRequirement("head.classifier.bias", new[] { spec.ClassCount }));
        return result;
    }
}
