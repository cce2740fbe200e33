using System.Collections.Generic;

namespace SubnetGen.Core.Extract;

/// <summary>Running statistics of one BatchNorm, measured for one subnet.</summary>
public sealed record BatchNormStatistics(float[] RunningMean, float[] RunningVar);

/// <summary>A BN a subnet uses (<c>stem.bn</c>, <c>stages.1.blocks.0.expand.bn</c>, …) and its active channel count.</summary>
public readonly record struct ActiveBatchNorm(string Name, int Channels);

/// <summary>How <see cref="SubnetExtractor"/> cuts a subnet out of a supernet.</summary>
public sealed class ExtractOptions
{
    public static readonly ExtractOptions Default = new();

    /// <summary>
    /// BN recalibration hook (OFA's <c>set_running_statistics</c>). The supernet's stored running
    /// mean/var were accumulated over many subnets; a subnet's own statistics differ, so the trainer
    /// (or any caller with calibration images) runs the extracted subnet in training mode over the
    /// calibration set and hands the result here. Keys are BN names without the parameter suffix,
    /// exactly the supernet tensor prefix: <c>stem.bn</c>, <c>first.dw.bn</c>,
    /// <c>stages.1.blocks.0.expand.bn</c>, <c>head.final_expand.bn</c>, … Each array holds either the
    /// subnet's active channel count (the usual case: statistics of the active channels) or the
    /// supernet's full channel count (then the first active channels are used). A BN that is not in
    /// the map keeps the supernet's stored statistics; γ and β always come from the supernet.
    /// Null: no recalibration, unless the bundle ships statistics for the config
    /// (<c>bnstats.safetensors</c>; <see cref="SubnetExtractor"/> then uses those).
    /// </summary>
    public IReadOnlyDictionary<string, BatchNormStatistics>? BatchNormStatistics { get; init; }

    /// <summary>BN epsilon, PyTorch's default (the trainer uses it for every BN).</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <summary>
    /// False: write the raw convolution weights with a zero bias, leaving BN out — what
    /// <see cref="BatchNormCalibrator"/> runs to measure the statistics the folded weights then use.
    /// </summary>
    internal bool FoldBatchNorm { get; init; } = true;
}
