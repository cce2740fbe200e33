using System.Globalization;
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Extract;

/// <summary>
/// A subnet cut out of a supernet: its layers, where each layer's weights sit, and the folded weights
/// themselves (<see cref="WeightLayout.TotalFloats"/> floats, alignment padding zero) — the content of
/// <c>&lt;Model&gt;.weights.bin</c>.
/// </summary>
public sealed record ExtractedSubnet(SubnetGraph Graph, WeightLayout Layout, float[] Weights)
{
    /// <summary>Where the folded BN statistics came from (build summaries report it).</summary>
    public BatchNormSource BatchNorm { get; init; } = BatchNormSource.Stored;
}

/// <summary>The running statistics a subnet was folded with.</summary>
public enum BatchNormSource
{
    /// <summary>The supernet's own running statistics (accumulated over many subnets during training).</summary>
    Stored,

    /// <summary>The caller's <see cref="ExtractOptions.BatchNormStatistics"/>.</summary>
    Given,

    /// <summary>The bundle's <c>bnstats.safetensors</c> entry for the config, recalibrated by the trainer.</summary>
    Shipped,

    /// <summary>Recalibrated during extraction on the bundle's calibration images (<see cref="BatchNormCalibrator"/>).</summary>
    Recalibrated,
}

/// <summary>The words the build log and <c>subnetgen evaluate</c> both use for a <see cref="BatchNormSource"/>.</summary>
public static class BatchNormSourceText
{
    /// <param name="calibrationImages">The bundle's calibration image count (said for <see cref="BatchNormSource.Recalibrated"/>).</param>
    public static string Describe(BatchNormSource source, int calibrationImages) => source switch
    {
        BatchNormSource.Shipped => "per config from bnstats.safetensors (recalibrated by the trainer)",
        BatchNormSource.Recalibrated => string.Format(CultureInfo.InvariantCulture, "recalibrated by Core on {0:#,0} calibration images", calibrationImages),
        BatchNormSource.Given => "given by the caller",
        BatchNormSource.Stored => "the supernet's stored running statistics (no calibration images)",
    };
}
