using System;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Ops;

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
            result[i] = LayerElements(graph, layer);
            if (layer.Op == OpKind.Depthwise)
            {
                int residual = ResidualOfBlock(layers, i);
                if (residual != Layer.External) result[i] += graph.Tensors[residual].Length;
            }
        }
        return result;
    }

    /// <summary>The layer's own MOOFA memory (<see cref="OpRules.MoofaElements"/>): input + output + weights of a counted convolution, else 0.</summary>
    public static long LayerElements(SubnetGraph graph, Layer layer)
    {
        var key = LayerKey.For(graph, layer);
        return key.Rules.MoofaElements(key);
    }

    // The block's identity shortcut is the residual of its project layer, the next pointwise after the depthwise.
    private static int ResidualOfBlock(System.Collections.Generic.IReadOnlyList<Layer> layers, int depthwise)
    {
        for (int j = depthwise + 1; j < layers.Count; j++)
            if (layers[j].Op == OpKind.Pointwise) return layers[j].Residual;
        return Layer.External;
    }
}
