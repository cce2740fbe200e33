using System;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Cost;

/// <summary>
/// Static cost of a lowered subnet: multiply-accumulates, parameters, weight bytes, the planned arena
/// and MOOFA's peak-memory metric. Pure and deterministic; the search calls it once per config.
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

    /// <summary>
    /// Multiply-accumulates of one layer: conv outH·outW·outC·k·k·inC; depthwise outH·outW·C·k·k;
    /// pointwise pixels·inC·outC; squeeze-excite C·R·2 (the pooling is not counted); linear in·out.
    /// Normalize, pooling, softmax and residual adds count zero.
    /// </summary>
    public static long LayerMacs(SubnetGraph graph, Layer layer)
    {
        TensorShape input = InputShape(graph, layer);
        TensorShape output = OutputShape(graph, layer);
        long k2 = (long)layer.Kernel * layer.Kernel;
        return layer.Op switch
        {
            OpKind.Conv => (long)output.Pixels * output.Channels * k2 * input.Channels,
            OpKind.Depthwise => (long)output.Pixels * output.Channels * k2,
            OpKind.Pointwise => (long)output.Pixels * input.Channels * output.Channels,
            OpKind.SqueezeExcite => 2L * input.Channels * layer.ReducedChannels,
            OpKind.Linear => (long)input.Channels * output.Channels,
            _ => 0,
        };
    }

    /// <summary>Shape a layer reads; the caller's pixels for <see cref="OpKind.Normalize"/>.</summary>
    public static TensorShape InputShape(SubnetGraph graph, Layer layer) =>
        layer.Input == Layer.External ? graph.InputShape : graph.Tensors[layer.Input];

    /// <summary>Shape a layer writes; for softmax (the caller's span) the shape of its input.</summary>
    public static TensorShape OutputShape(SubnetGraph graph, Layer layer) =>
        layer.Output == Layer.External ? InputShape(graph, layer) : graph.Tensors[layer.Output];

    internal static long WeightElements(SubnetGraph graph, Layer layer)
    {
        TensorShape input = InputShape(graph, layer);
        TensorShape output = OutputShape(graph, layer);
        long k2 = (long)layer.Kernel * layer.Kernel;
        return layer.Op switch
        {
            OpKind.Conv => output.Channels * k2 * input.Channels,
            OpKind.Depthwise => input.Channels * k2,
            OpKind.Pointwise or OpKind.Linear => (long)input.Channels * output.Channels,
            _ => 0,
        };
    }
}
