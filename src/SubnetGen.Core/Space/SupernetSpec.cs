using System;
using System.Collections.Generic;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Space;

/// <summary>Input image geometry and the per-channel normalisation applied inside the model.</summary>
public sealed record InputSpec(int Height, int Width, int Channels, IReadOnlyList<float> Mean, IReadOnlyList<float> Std);

/// <summary>Stem: full k×k convolution + BN + activation.</summary>
public sealed record StemSpec(int OutChannels, int Kernel, int Stride, Activation Activation);

/// <summary>First block: MBConv with expand ratio 1 (depthwise + BN + act, project + BN), stride 1, not elastic.</summary>
public sealed record FirstBlockSpec(int OutChannels, int Kernel, Activation Activation);

/// <summary>
/// One elastic stage of up to <see cref="MaxDepth"/> MBConv blocks with output width <see cref="Width"/>.
/// The first block of a stage has stride <see cref="Stride"/>; the others stride 1 with an identity shortcut.
/// </summary>
public sealed record StageSpec(int Width, int Stride, Activation Activation, bool SqueezeExcite, int MaxDepth);

/// <summary>Head: 1×1 final expand + BN + h-swish → global average pool → 1×1 feature mix (h-swish, no BN) → linear classifier.</summary>
public sealed record HeadSpec(int FinalExpandChannels, int FeatureMixChannels);

/// <summary>
/// The structure of a supernet: everything needed to lower any subnet config to layers.
/// Families differ only in <see cref="Space"/> (which configs are legal) and in the widths chosen.
/// </summary>
public sealed record SupernetSpec(
    InputSpec Input,
    StemSpec Stem,
    FirstBlockSpec FirstBlock,
    IReadOnlyList<StageSpec> Stages,
    HeadSpec Head,
    int ClassCount,
    DesignSpace Space)
{
    /// <summary>Input channels of block <paramref name="block"/> in stage <paramref name="stage"/>.</summary>
    public int BlockInputChannels(int stage, int block) =>
        block > 0 ? Stages[stage].Width : stage > 0 ? Stages[stage - 1].Width : FirstBlock.OutChannels;

    /// <summary>
    /// The input a config runs at: the supernet's own input, or, at a resolution r, the input scaled so its shorter side
    /// is r (the longer one rounded to the nearest pixel, halves up).
    /// </summary>
    public (int Height, int Width) InputSize(SubnetConfig config)
    {
        if (config.Resolution is not int r) return (Input.Height, Input.Width);
        int shorter = Math.Min(Input.Height, Input.Width);
        int Scale(int side) => side == shorter ? r : (int)Math.Floor(side * (double)r / shorter + 0.5);
        return Input.Height <= Input.Width ? (r, Scale(Input.Width)) : (Scale(Input.Height), r);
    }

    /// <summary>Hidden (expanded) channels of a block for expand ratio <paramref name="expand"/>: OFA's make_divisible(round(Cin·e), 8).</summary>
    public int MiddleChannels(int stage, int block, int expand) =>
        Channels.MakeDivisible(BlockInputChannels(stage, block) * expand, 8);

    /// <summary>Hidden channels the supernet stores for a block (at the largest expand ratio).</summary>
    public int MaxMiddleChannels(int stage, int block) => MiddleChannels(stage, block, Space.MaxExpandRatio);

    /// <summary>
    /// An architecture string (a key of the bundle's per-config files) as a config of this supernet: parsed, with one
    /// entry per stage, inside <see cref="Space"/>. Returns false with what is wrong.
    /// </summary>
    public bool TryParseConfig(string architecture, out SubnetConfig? config, out string? error)
    {
        if (!SubnetConfig.TryParse(architecture, out config, out error)) return false;
        if (config!.Stages.Count != Stages.Count)
        {
            error = $"it has {config.Stages.Count} stages; this supernet has {Stages.Count}";
            return false;
        }
        return Space.Contains(config, out error);
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the structure is inconsistent.</summary>
    public void Validate()
    {
        if (Input.Height <= 0 || Input.Width <= 0 || Input.Channels <= 0)
            throw new ArgumentException("Input height, width and channels must be positive.");
        if (Input.Mean.Count != Input.Channels || Input.Std.Count != Input.Channels)
            throw new ArgumentException("Input mean and std need one value per channel.");
        if (Stages.Count == 0) throw new ArgumentException("A supernet needs at least one stage.");
        if (ClassCount < 2) throw new ArgumentException("A classifier needs at least two classes.");
        foreach (var stage in Stages)
        {
            if (stage.Width <= 0 || stage.Stride is < 1 or > 2 || stage.MaxDepth < Space.MaxDepth)
                throw new ArgumentException($"Stage {stage} is invalid for this design space.");
        }
        Space.Validate(Stages.Count);
        if (Space.Resolutions is { } resolutions && resolutions[resolutions.Count - 1] > Math.Min(Input.Height, Input.Width))
            throw new ArgumentException($"Resolutions {string.Join(", ", resolutions)} go beyond the input's shorter side ({Math.Min(Input.Height, Input.Width)}).");
    }
}

/// <summary>Channel arithmetic shared by the cost model, extraction and the trainer.</summary>
public static class Channels
{
    /// <summary>TensorFlow/OFA make_divisible: round to the nearest multiple of <paramref name="divisor"/>, never below 90% of the value.</summary>
    public static int MakeDivisible(double value, int divisor, int? minValue = null)
    {
        int min = minValue ?? divisor;
        int result = Math.Max(min, (int)(value + divisor / 2.0) / divisor * divisor);
        if (result < 0.9 * value) result += divisor;
        return result;
    }

    /// <summary>Squeeze-excite reduced channels for <paramref name="middle"/> hidden channels: make_divisible(mid/4, 8).</summary>
    public static int SqueezeChannels(int middle) => MakeDivisible(middle / 4, 8);
}
