using System.Collections.Generic;
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Ops;

/// <summary>The rules of every op kind: one entry per <see cref="OpKind"/> member (a new member does not compile until it has one).</summary>
public static class OpRegistry
{
    public static OpRules Of(OpKind kind) => kind switch
    {
        OpKind.Normalize => NormalizeOp.Instance,
        OpKind.Conv => ConvOp.Instance,
        OpKind.Depthwise => DepthwiseOp.Instance,
        OpKind.Pointwise => PointwiseOp.Instance,
        OpKind.SqueezeExcite => SqueezeExciteOp.Instance,
        OpKind.GlobalAveragePool => GlobalAveragePoolOp.Instance,
        OpKind.Linear => LinearOp.Instance,
        OpKind.Softmax => SoftmaxOp.Instance,
    };

    /// <summary>Every op's rules, in <see cref="OpKind"/> order.</summary>
    public static IReadOnlyList<OpRules> All { get; } = Build();

    private static OpRules[] Build()
    {
        var kinds = (OpKind[])System.Enum.GetValues(typeof(OpKind));
        var result = new OpRules[kinds.Length];
        for (int i = 0; i < kinds.Length; i++) result[i] = Of(kinds[i]);
        return result;
    }
}
