using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Ops;

/// <summary>
/// Squeeze-excite, in place: pool → reduce [R][C] + bias [R] → ReLU → expand [C][R] + bias [C] → h-sigmoid → scale
/// each channel. Its latency key's <c>Cout</c> is the reduced width R; the scratch holds the pooled and hidden
/// vectors (C + R floats). MACs count the two matrix-vector products, not the pooling or the scaling.
/// </summary>
public sealed class SqueezeExciteOp : OpRules
{
    public static readonly SqueezeExciteOp Instance = new();

    public override OpKind Kind => OpKind.SqueezeExcite;
    public override bool HasBatchNorm => false;
    public override bool InPlace => true;
    public override double DefaultWorkPerMicrosecond => 1000;
    public override int KeyOutChannels(Layer layer, TensorShape output) => layer.ReducedChannels;
    public override TensorShape OutputShape(LayerKey key) => key.Input;
    public override long Macs(LayerKey key) => 2L * key.Input.Channels * key.OutChannels;

    public override int[] WeightSlots(LayerKey key)
    {
        int c = key.Input.Channels, r = key.OutChannels;
        return new[] { r * c, r, c * r, c };
    }

    public override int ScratchLength(LayerKey key) => key.Input.Channels + key.OutChannels;
    public override long MoofaElements(LayerKey key) => 0;

    internal override void Run<TArithmetic>(LayerKey key, in LayerBuffers b) =>
        Kernels.SqueezeExcite<TArithmetic>(b.Output, key.Input.Pixels, key.Input.Channels, b.Weights, b.Bias, key.OutChannels, b.Weights2, b.Bias2, b.Scratch);
}
