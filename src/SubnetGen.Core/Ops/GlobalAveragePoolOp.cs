using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Ops;

/// <summary>Mean over the pixels of each channel, to 1×1×C. Sums only: no MACs, no weights.</summary>
public sealed class GlobalAveragePoolOp : OpRules
{
    public static readonly GlobalAveragePoolOp Instance = new();

    public override OpKind Kind => OpKind.GlobalAveragePool;
    public override bool HasBatchNorm => false;
    public override bool InPlace => false;
    public override double DefaultWorkPerMicrosecond => 1000;
    public override int KeyOutChannels(Layer layer, TensorShape output) => output.Channels;
    public override TensorShape OutputShape(LayerKey key) => new(1, 1, key.Input.Channels);
    public override long Macs(LayerKey key) => 0;
    public override int[] WeightSlots(LayerKey key) => NoWeights;
    public override int ScratchLength(LayerKey key) => 0;
    public override long MoofaElements(LayerKey key) => 0;

    internal override void Run<TArithmetic>(LayerKey key, in LayerBuffers b) =>
        Kernels.GlobalAveragePool<TArithmetic>(b.Input, key.Input.Pixels, key.Input.Channels, b.Output);
}
