using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Ops;

/// <summary>Softmax of the logits into the caller's probabilities. Element-wise: no MACs, no weights.</summary>
public sealed class SoftmaxOp : OpRules
{
    public static readonly SoftmaxOp Instance = new();

    public override OpKind Kind => OpKind.Softmax;
    public override bool HasBatchNorm => false;
    public override bool InPlace => false;
    public override double DefaultWorkPerMicrosecond => 200;
    public override int KeyOutChannels(Layer layer, TensorShape output) => output.Channels;
    public override TensorShape OutputShape(LayerKey key) => key.Input;
    public override long Macs(LayerKey key) => 0;
    public override int[] WeightSlots(LayerKey key) => NoWeights;
    public override int ScratchLength(LayerKey key) => 0;
    public override long MoofaElements(LayerKey key) => 0;

    // Scalar in either arithmetic: the same bits on every CPU.
    internal override void Run<TArithmetic>(LayerKey key, in LayerBuffers b) => Kernels.Softmax(b.Input, b.Output);
}
