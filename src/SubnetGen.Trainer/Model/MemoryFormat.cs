using System;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Model;

/// <summary>
/// Layout of the feature maps inside the supernet. Channels-last (NHWC strides, NCHW shape) lets libtorch's
/// CPU convolutions skip layout conversions: `subnetgen-train measure` prints the step time of both side by
/// side. Eval-mode results equal contiguous ones to float rounding, but channels-last batch statistics are
/// less precise and depend on the thread count (docs/training.md), so only SGD steps may use it; and on some
/// CPUs libtorch's channels-last kernels are plainly wrong, which <see cref="Training.LayoutCheck"/> catches first.
/// </summary>
internal enum MemoryFormat
{
    ChannelsLast,
    Contiguous,
}

internal static class MemoryFormats
{
    public static MemoryFormat Parse(string text) => text.ToLowerInvariant() switch
    {
        "channels-last" => MemoryFormat.ChannelsLast,
        "contiguous" => MemoryFormat.Contiguous,
        _ => throw new ArgumentException($"--memory-format {text}: use channels-last or contiguous."),
    };

    public static string Name(MemoryFormat format) => format == MemoryFormat.ChannelsLast ? "channels-last" : "contiguous";

    /// <summary>
    /// TorchSharp has no memory_format argument; permuting to NHWC, copying and permuting back gives the
    /// same strides as PyTorch's <c>contiguous(memory_format=torch.channels_last)</c>. Ops downstream keep them.
    /// </summary>
    public static Tensor Apply(Tensor x, MemoryFormat format) =>
        format == MemoryFormat.ChannelsLast ? x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : x;
}
