using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Ops;

namespace SubnetGen.Core.Cost;

/// <summary>
/// Static cost of a lowered subnet: multiply-accumulates, parameters, weight bytes, the planned arena
/// and MOOFA's peak-memory metric. Pure and deterministic; the search calls it once per config.
/// Per-layer rules are the ops' own (<see cref="OpRules"/>).
/// </summary>
public static class CostModel
{
    public static SubnetCost Measure(SubnetGraph graph)
    {
        long macs = 0;
        foreach (var layer in graph.Layers) macs += LayerMacs(graph, layer);
        var weights = WeightLayout.Create(graph);
        var arena = ArenaPlan.Create(graph);
        return new SubnetCost(macs, weights.Parameters, weights.WeightBytes, arena.PeakMemoryBytes, MoofaMemory.PeakElements(graph), arena);
    }

    /// <summary>Multiply-accumulates of one layer (<see cref="OpRules.Macs"/>).</summary>
    public static long LayerMacs(SubnetGraph graph, Layer layer) => LayerKey.For(graph, layer).Macs;

    /// <summary>Shape a layer reads; the caller's pixels for <see cref="OpKind.Normalize"/>.</summary>
    public static TensorShape InputShape(SubnetGraph graph, Layer layer) =>
        layer.Input == Layer.External ? graph.InputShape : graph.Tensors[layer.Input];

    /// <summary>Shape a layer writes; for softmax (the caller's span) the shape of its input.</summary>
    public static TensorShape OutputShape(SubnetGraph graph, Layer layer) =>
        layer.Output == Layer.External ? InputShape(graph, layer) : graph.Tensors[layer.Output];
}
