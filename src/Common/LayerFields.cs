// Which optional fields a layer of subnet.json carries, compiled into SubnetGen.Core (the writer) and into the source
// generator (the reader), internal in both.
#if BUILDING_SOURCE_GENERATOR
namespace SubnetGen.Generators.Model;
#else
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Artifact;
#endif

/// <summary>The per-op fields of a subnet.json layer (docs/formats.md): kernel and stride, and activation.</summary>
internal static class LayerFields
{
    /// <summary>Spatial ops: <c>kernel</c> and <c>stride</c> are written (padding kernel/2).</summary>
    public static bool HasKernel(OpKind op) => op switch
    {
        OpKind.Conv or OpKind.Depthwise => true,
        OpKind.Normalize or OpKind.Pointwise or OpKind.SqueezeExcite or OpKind.GlobalAveragePool or OpKind.Linear or OpKind.Softmax => false,
    };

    /// <summary>Ops whose kernel applies an activation after the bias: <c>activation</c> is written.</summary>
    public static bool HasActivation(OpKind op) => op switch
    {
        OpKind.Conv or OpKind.Depthwise or OpKind.Pointwise or OpKind.Linear => true,
        OpKind.Normalize or OpKind.SqueezeExcite or OpKind.GlobalAveragePool or OpKind.Softmax => false,
    };
}
