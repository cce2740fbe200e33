using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Ops;

/// <summary>Depthwise k×k convolution: weights [k][k][C] and bias [C], BN folded, then the activation.</summary>
public sealed class DepthwiseOp : OpRules
{
    public static readonly DepthwiseOp Instance = new();

    public override OpKind Kind => OpKind.Depthwise;
    public override bool HasBatchNorm => true;
    public override bool InPlace => false;
    public override double DefaultWorkPerMicrosecond => 1000;
    public override int KeyOutChannels(Layer layer, TensorShape output) => output.Channels;
    public override TensorShape OutputShape(LayerKey key) => key.Downsampled(key.Input.Channels);
    public override long Macs(LayerKey key) => key.OutputPixels * key.Input.Channels * key.Kernel * key.Kernel;
    public override int[] WeightSlots(LayerKey key) => new[] { key.Kernel * key.Kernel * key.Input.Channels, key.Input.Channels };
    public override int ScratchLength(LayerKey key) => 0;
    public override long MoofaElements(LayerKey key) => ConvolutionElements(key);

    internal override void Run<TArithmetic>(LayerKey key, in LayerBuffers b) =>
        Kernels.Depthwise<TArithmetic>(b.Input, key.Input.Height, key.Input.Width, key.Input.Channels, b.Weights, b.Bias,
            key.Kernel, key.Stride, key.Activation, b.Output);
}
