using System;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Ops;

/// <summary>
/// Everything SubnetGen knows about one kind of layer, in one place: what it costs, which weight tensors it stores,
/// whether the supernet has a BN after it, what its latency-table key holds, its default throughput, and the
/// SubnetGen.Runtime kernel that runs it. One subclass per op in this folder; <see cref="OpRegistry.Of"/> finds it.
/// The cost model, the weight layout, the latency model, the BN recalibration and the profiler all read these rules.
/// Every member is abstract: each op states each rule, zero costs included.
/// The layer's geometry is its <see cref="LayerKey"/>: everything the cost and the kernel depend on.
/// </summary>
public abstract class OpRules
{
    public abstract OpKind Kind { get; }

    /// <summary>The supernet holds a BN after this layer (<c>&lt;layer&gt;.bn</c>): recalibrated per subnet, folded into weight and bias.</summary>
    public abstract bool HasBatchNorm { get; }

    /// <summary>The kernel writes its result over its input (squeeze-excite); such a layer has no output tensor of its own.</summary>
    public abstract bool InPlace { get; }

    /// <summary>Latency without a device table: work units (<see cref="LayerKey.Work"/>) per microsecond on roughly one x64 core with AVX2.</summary>
    public abstract double DefaultWorkPerMicrosecond { get; }

    /// <summary>The <c>Cout</c> of the layer's latency-table key: its output channels, or what else sizes its kernel.</summary>
    public abstract int KeyOutChannels(Layer layer, TensorShape output);

    /// <summary>The shape the kernel writes.</summary>
    public abstract TensorShape OutputShape(LayerKey key);

    /// <summary>Multiply-accumulates of one call (residual adds, pooling sums and element-wise work count zero).</summary>
    public abstract long Macs(LayerKey key);

    /// <summary>
    /// Lengths, in floats, of the weight tensors the layer reads from the weights file, in file order (a weight then
    /// its bias; BN is folded, so every convolution has a bias). Empty for ops without weights.
    /// </summary>
    public abstract int[] WeightSlots(LayerKey key);

    /// <summary>Floats of arena scratch the kernel needs besides its input and output.</summary>
    public abstract int ScratchLength(LayerKey key);

    /// <summary>
    /// MOOFA's memory of the layer alone, in elements: input + output + weights (no bias) for the convolutions it
    /// counts, zero for every other layer (Girard et al.; see <see cref="MoofaMemory"/>).
    /// </summary>
    public abstract long MoofaElements(LayerKey key);

    /// <summary>Runs the layer's SubnetGen.Runtime kernel with the key's activation and residual, as a generated model does.</summary>
    public void Run(LayerKey key, in LayerBuffers buffers) => Run<FastArithmetic>(key, buffers);

    /// <summary>
    /// <see cref="Run"/> with results that are the same on every CPU (each output has the scalar reference's bits, at
    /// vector speed where the kernel allows): for arithmetic a build does, whose bytes must not depend on the machine.
    /// </summary>
    public void RunExact(LayerKey key, in LayerBuffers buffers) => Run<ExactArithmetic>(key, buffers);

    /// <summary>The layer's kernel call, once for both arithmetics.</summary>
    internal abstract void Run<TArithmetic>(LayerKey key, in LayerBuffers buffers) where TArithmetic : struct, IArithmetic;

    public override string ToString() => Kind.ToString();

    /// <summary>Input + output + main weight elements: MOOFA's memory of a convolution.</summary>
    protected long ConvolutionElements(LayerKey key) => (long)key.Input.Length + OutputShape(key).Length + WeightSlots(key)[0];

    protected static readonly int[] NoWeights = Array.Empty<int>();
}
