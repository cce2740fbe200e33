using System;
using System.Globalization;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Ops;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Cost;

/// <summary>
/// The canonical name of one layer's shape in a device latency table:
/// <c>{op}:{H}x{W}x{Cin}-&gt;{Cout}:k{kernel}s{stride}:{activation}</c>, with <c>:residual</c> appended when the
/// layer adds an identity shortcut, e.g. <c>pointwise:14x14x16-&gt;96:k1s1:relu</c>. Squeeze-excite writes its
/// reduced channels as Cout. Op and activation names are the subnet.json spellings. Everything the latency
/// of a kernel depends on is in the key, so the key alone gives the layer's MACs.
/// </summary>
public readonly record struct LayerKey(OpKind Op, TensorShape Input, int OutChannels, int Kernel, int Stride, Activation Activation, bool Residual)
{
    public static LayerKey For(SubnetGraph graph, Layer layer)
    {
        var input = CostModel.InputShape(graph, layer);
        int outChannels = OpRegistry.Of(layer.Op).KeyOutChannels(layer, CostModel.OutputShape(graph, layer));
        return new LayerKey(layer.Op, input, outChannels, layer.Kernel, layer.Stride, layer.Activation, layer.Residual != Layer.External);
    }

    /// <summary>The op's rules (<see cref="OpRegistry"/>).</summary>
    public OpRules Rules => OpRegistry.Of(Op);

    /// <summary>Multiply-accumulates (<see cref="OpRules.Macs"/>).</summary>
    public long Macs => Rules.Macs(this);

    /// <summary>What the latency fit scales with: MACs, or the input elements for ops without MACs (normalize, pool, softmax).</summary>
    public long Work => Macs > 0 ? Macs : Input.Length;

    /// <summary>Output pixels of a k×k window with padding k/2 at this stride: ⌊(n − 1) / stride⌋ + 1 per side.</summary>
    public long OutputPixels => (long)((Input.Height - 1) / Stride + 1) * ((Input.Width - 1) / Stride + 1);

    /// <summary>The input downsampled by the stride, with <paramref name="channels"/> channels (as <see cref="GraphBuilder.Downsample"/>).</summary>
    public TensorShape Downsampled(int channels) => GraphBuilder.Downsample(Input, Stride, channels);

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}:{1}x{2}x{3}->{4}:k{5}s{6}:{7}{8}",
        FormatNames.Of(Op), Input.Height, Input.Width, Input.Channels, OutChannels, Kernel, Stride, FormatNames.Of(Activation), Residual ? ":residual" : "");

    public static bool TryParse(string text, out LayerKey key)
    {
        key = default;
        var parts = text.Split(':');
        if (parts.Length is < 4 or > 5 || !Spellings.TryParse(parts[0], out OpKind op)) return false;
        if (parts.Length == 5 && !string.Equals(parts[4], "residual", StringComparison.Ordinal)) return false;
        int arrow = parts[1].IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0) return false;
        var dims = parts[1].Substring(0, arrow).Split('x');
        if (dims.Length != 3 || !TryInt(dims[0], out int h) || !TryInt(dims[1], out int w) || !TryInt(dims[2], out int c)
            || !TryInt(parts[1].Substring(arrow + 2), out int outC)) return false;
        string ks = parts[2];
        int s = ks.IndexOf('s');
        if (ks.Length < 4 || ks[0] != 'k' || s < 2 || !TryInt(ks.Substring(1, s - 1), out int k) || !TryInt(ks.Substring(s + 1), out int stride))
            return false;
        if (!Spellings.TryParse(parts[3], out Activation activation)) return false;
        if (h <= 0 || w <= 0 || c <= 0 || outC <= 0 || k <= 0 || stride <= 0) return false;
        key = new LayerKey(op, new TensorShape(h, w, c), outC, k, stride, activation, parts.Length == 5);
        return true;
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
