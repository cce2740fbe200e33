using System.Collections.Generic;
using System.Linq;

namespace SubnetGen.Core.Space;

/// <summary>
/// OFA's predictor encoding: for every block slot (stage × max depth), a one-hot of the kernel size
/// followed by a one-hot of the expand ratio; slots past the stage depth are all zeros. A space with elastic
/// resolution appends a one-hot of the resolution, as OFA's predictor does.
/// </summary>
public static class ArchitectureEncoding
{
    public static int Length(SupernetSpec spec) =>
        spec.Stages.Sum(s => s.MaxDepth) * (spec.Space.KernelSizes.Count + spec.Space.ExpandRatios.Count) + (spec.Space.Resolutions?.Count ?? 0);

    public static float[] Encode(SupernetSpec spec, SubnetConfig config)
    {
        var result = new float[Length(spec)];
        Encode(spec, config, result);
        return result;
    }

    public static void Encode(SupernetSpec spec, SubnetConfig config, float[] destination)
    {
        System.Array.Clear(destination, 0, destination.Length);
        IReadOnlyList<int> kernels = spec.Space.KernelSizes, expands = spec.Space.ExpandRatios;
        int slot = kernels.Count + expands.Count, offset = 0;
        for (int s = 0; s < spec.Stages.Count; s++)
        {
            for (int b = 0; b < spec.Stages[s].MaxDepth; b++, offset += slot)
            {
                if (b >= config.Stages[s].Count) continue;
                var block = config.Stages[s][b];
                destination[offset + IndexOf(kernels, block.KernelSize)] = 1f;
                destination[offset + kernels.Count + IndexOf(expands, block.ExpandRatio)] = 1f;
            }
        }
        if (spec.Space.Resolutions is { } resolutions)
            destination[offset + IndexOf(resolutions, config.Resolution ?? -1)] = 1f;
    }

    private static int IndexOf(IReadOnlyList<int> values, int value)
    {
        for (int i = 0; i < values.Count; i++) if (values[i] == value) return i;
        throw new System.ArgumentException($"{value} is not one of {string.Join(", ", values)}.");
    }
}
