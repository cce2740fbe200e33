using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Ops;

/// <summary>
/// 1×1 convolution (expand, project, the head's final expand): weights [inC][outC] and bias [outC], BN folded, the
/// activation, then the identity residual when the key has one.
/// </summary>
public sealed class PointwiseOp : OpRules
{
    public static readonly PointwiseOp Instance = new();

    public override OpKind Kind => OpKind.Pointwise;
    public override bool HasBatchNorm => true;
    public override bool InPlace => false;
    public override double DefaultWorkPerMicrosecond => 4000;
    public override int KeyOutChannels(Layer layer, TensorShape output) => output.Channels;
    public override TensorShape OutputShape(LayerKey key) => key.Input with { Channels = key.OutChannels };
    public override long Macs(LayerKey key) => key.OutputPixels * key.Input.Channels * key.OutChannels;
    public override int[] WeightSlots(LayerKey key) => new[] { key.Input.Channels * key.OutChannels, key.OutChannels };
    public override int ScratchLength(LayerKey key) => 0;
    public override long MoofaElements(LayerKey key) => ConvolutionElements(key);

    internal override void Run<TArithmetic>(LayerKey key, in LayerBuffers b) =>
        Kernels.Pointwise<TArithmetic>(b.Input, key.Input.Pixels, key.Input.Channels, b.Weights, b.Bias, key.OutChannels, key.Activation, b.Residual, b.Output);
}
