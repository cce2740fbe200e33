using System;
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Cost;

/// <summary>
/// MOOFA's analytical memory metric (Girard et al.), in elements, not bytes. A conv or linear layer needs
/// input + output + weight elements (convolutions carry no bias; BN is not counted). A block needs
/// max(expand, depthwise + the residual input it keeps alive, project); the network's peak is the max over
/// the stem, every block (the fixed first block included) and the head's final expand.
/// It ignores buffer reuse, so it differs from <see cref="ArenaPlan"/>; it is what MOOFA's budgets are quoted in.
/// </summary>
public static class MoofaMemory
{
    public static long PeakElements(SubnetGraph graph)
    {
        // A block's memory is the max over its layers, so the network's peak is the max over all layers.
        long peak = 0;
        foreach (long memory in PerLayer(graph)) peak = Math.Max(peak, memory);
        return peak;
    }

    /// <summary>
    /// MOOFA memory of every layer, aligned with <see cref="SubnetGraph.Layers"/>: conv and pointwise layers
    /// (stem, expand, project, final expand) count input + output + weights, a depthwise also the block input its
    /// shortcut keeps alive; every other layer (SE, pooling, the head's linear layers, softmax) counts 0.
    /// </summary>
    public static long[] PerLayer(SubnetGraph graph)
    {
        var layers = graph.Layers;
        var result = new long[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Op is OpKind.Conv or OpKind.Pointwise)
            {
                result[i] = LayerElements(graph, layer);
            }
            else if (layer.Op == OpKind.Depthwise)
            {
                int residual = ResidualOfBlock(layers, i);
                result[i] = LayerElements(graph, layer) + (residual == Layer.External ? 0 : graph.Tensors[residual].Length);
            }
        }
        return result;
    }

    /// <summary>Input + output + weight elements of one conv-like layer.</summary>
    public static long LayerElements(SubnetGraph graph, Layer layer) =>
        CostModel.InputShape(graph, layer).Length + CostModel.OutputShape(graph, layer).Length + CostModel.WeightElements(graph, layer);

    // The block's identity shortcut is the residual of its project layer, the next pointwise after the depthwise.
    private static int ResidualOfBlock(System.Collections.Generic.IReadOnlyList<Layer> layers, int depthwise)
    {
        for (int j = depthwise + 1; j < layers.Count; j++)
            if (layers[j].Op == OpKind.Pointwise) return layers[j].Residual;
        return Layer.External;
    }
}
