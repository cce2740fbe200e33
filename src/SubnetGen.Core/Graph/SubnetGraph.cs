using System.Collections.Generic;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Graph;

/// <summary>Shape of an activation tensor, HWC. A vector is 1×1×C.</summary>
public readonly record struct TensorShape(int Height, int Width, int Channels)
{
    public int Length => Height * Width * Channels;
    public int Pixels => Height * Width;
    public override string ToString() => $"{Height}x{Width}x{Channels}";
}

/// <summary>
/// One operation of a lowered subnet. Tensor fields are indices into <see cref="SubnetGraph.Tensors"/>;
/// <see cref="External"/> means the caller's span (pixels for Normalize's input, probabilities for
/// Softmax's output). <see cref="Name"/> is also the prefix of the supernet tensors the layer's weights
/// are cut from (e.g. <c>stages.1.blocks.0.expand</c> → <c>stages.1.blocks.0.expand.conv.weight</c>).
/// </summary>
public sealed record Layer(
    OpKind Op,
    string Name,
    int Input,
    int Output,
    int Kernel = 1,
    int Stride = 1,
    Activation Activation = Activation.None,
    int Residual = Layer.External,
    int Scratch = Layer.External,
    int ReducedChannels = 0)
{
    public const int External = -1;
}

/// <summary>
/// A subnet lowered to a straight list of layers over SSA-style tensors (each written once;
/// squeeze-excite is the one in-place op). Pure structure: no weights, no arena offsets.
/// </summary>
public sealed record SubnetGraph(SupernetSpec Spec, SubnetConfig Config, IReadOnlyList<TensorShape> Tensors, IReadOnlyList<Layer> Layers)
{
    /// <summary>The input the subnet runs at (the config's resolution, where the space has elastic resolution): the first tensor.</summary>
    public TensorShape InputShape => Tensors[0];
}
