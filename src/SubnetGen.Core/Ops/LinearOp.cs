using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Ops;

/// <summary>
/// Fully connected layer on a 1×1 tensor (the head's feature mix and classifier): weights [outF][inF] and bias [outF],
/// then the activation. No BN; MOOFA does not count the head's linear layers.
/// </summary>
public sealed class LinearOp : OpRules
{
    public static readonly LinearOp Instance = new();

    public override OpKind Kind => OpKind.Linear;
    public override bool HasBatchNorm => false;
    public override bool InPlace => false;
    public override double DefaultWorkPerMicrosecond => 2000;
    public override int KeyOutChannels(Layer layer, TensorShape output) => output.Channels;
    public override TensorShape OutputShape(LayerKey key) => new(1, 1, key.OutChannels);
    public override long Macs(LayerKey key) => (long)key.Input.Channels * key.OutChannels;
    public override int[] WeightSlots(LayerKey key) => new[] { key.Input.Channels * key.OutChannels, key.OutChannels };
    public override int ScratchLength(LayerKey key) => 0;
    public override long MoofaElements(LayerKey key) => 0;

    internal override void Run<TArithmetic>(LayerKey key, in LayerBuffers b) =>
        Kernels.Linear<TArithmetic>(b.Input, key.Input.Length, b.Weights, b.Bias, key.OutChannels, key.Activation, b.Output);
}
