using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Ops;

/// <summary>Full k×k convolution (the stem): weights [outC][k][k][inC] and bias [outC], BN folded, then the activation.</summary>
public sealed class ConvOp : OpRules
{
    public static readonly ConvOp Instance = new();

    public override OpKind Kind => OpKind.Conv;
    public override bool HasBatchNorm => true;
    public override bool InPlace => false;
    public override double DefaultWorkPerMicrosecond => 2000;
    public override int KeyOutChannels(Layer layer, TensorShape output) => output.Channels;
    public override TensorShape OutputShape(LayerKey key) => key.Downsampled(key.OutChannels);
    public override long Macs(LayerKey key) => key.OutputPixels * key.OutChannels * key.Kernel * key.Kernel * key.Input.Channels;
    public override int[] WeightSlots(LayerKey key) => new[] { key.OutChannels * key.Kernel * key.Kernel * key.Input.Channels, key.OutChannels };
    public override int ScratchLength(LayerKey key) => 0;
    public override long MoofaElements(LayerKey key) => ConvolutionElements(key);

    internal override void Run<TArithmetic>(LayerKey key, in LayerBuffers b) =>
        Kernels.Conv2d<TArithmetic>(b.Input, key.Input.Height, key.Input.Width, key.Input.Channels, b.Weights, b.Bias,
            key.OutChannels, key.Kernel, key.Stride, key.Activation, b.Output);
}
