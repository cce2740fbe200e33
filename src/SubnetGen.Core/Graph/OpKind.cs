using System;

namespace SubnetGen.Core.Graph;

/// <summary>The operations a lowered subnet is made of; each maps to one SubnetGen.Runtime kernel.</summary>
public enum OpKind
{
    /// <summary>Pixels in [0,1] → (x − mean) / std, into the first arena tensor.</summary>
    Normalize,
    /// <summary>Full k×k convolution (the stem), folded BN, activation.</summary>
    Conv,
    /// <summary>Depthwise k×k convolution, folded BN, activation.</summary>
    Depthwise,
    /// <summary>1×1 convolution, folded BN, activation, optional identity residual added after.</summary>
    Pointwise,
    /// <summary>Squeeze-excite, in place on its input, with a scratch tensor.</summary>
    SqueezeExcite,
    /// <summary>Global average pooling to 1×1.</summary>
    GlobalAveragePool,
    /// <summary>Fully connected layer on a 1×1 tensor (feature mix, classifier).</summary>
    Linear,
    /// <summary>Softmax of the logits into the caller's probability span.</summary>
    Softmax,
}

/// <summary>Names of <see cref="OpKind"/>.</summary>
public static class OpKinds
{
    /// <summary>The op's spelling in subnet.json and in device latency table keys (docs/formats.md).</summary>
    public static string Name(OpKind op) => op switch
    {
        OpKind.Normalize => "normalize",
        OpKind.Conv => "conv",
        OpKind.Depthwise => "depthwise",
        OpKind.Pointwise => "pointwise",
        OpKind.SqueezeExcite => "squeezeExcite",
        OpKind.GlobalAveragePool => "globalAveragePool",
        OpKind.Linear => "linear",
        OpKind.Softmax => "softmax",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
