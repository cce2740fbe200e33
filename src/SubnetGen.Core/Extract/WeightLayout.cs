using System;
using System.Collections.Generic;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Extract;

/// <summary>A run of floats in the weights file or the arena.</summary>
public readonly record struct Slice(int Offset, int Length)
{
    public int End => Offset + Length;
}

/// <summary>The weight slices one layer reads, in <see cref="Ops.OpRules.WeightSlots"/> order (folded BN: every conv has a bias). Squeeze-excite uses all four.</summary>
public sealed record LayerWeights(Slice Weights, Slice Bias, Slice? Weights2 = null, Slice? Bias2 = null)
{
    public static readonly LayerWeights None = new(default, default);
}

/// <summary>
/// Where each layer's folded weights sit in <c>&lt;Model&gt;.weights.bin</c>: layers in order, within a
/// layer weights then bias (SE: reduce weights, reduce bias, expand weights, expand bias), every
/// tensor starting at a multiple of <see cref="Alignment"/> floats. Shared by the cost model
/// (WeightBytes) and the extractor, so the promised size is the shipped size.
/// </summary>
public sealed record WeightLayout(IReadOnlyList<LayerWeights> Layers, int TotalFloats)
{
    /// <summary>16 floats = 64 bytes: a cache line, and a whole Vector512.</summary>
    public const int Alignment = 16;

    public long WeightBytes => TotalFloats * 4L;

    /// <summary>Floats the model actually stores (no alignment padding).</summary>
    public long Parameters
    {
        get
        {
            long total = 0;
            foreach (var l in Layers)
                total += l.Weights.Length + l.Bias.Length + (l.Weights2?.Length ?? 0) + (l.Bias2?.Length ?? 0);
            return total;
        }
    }

    public static WeightLayout Create(SubnetGraph graph)
    {
        var result = new List<LayerWeights>(graph.Layers.Count);
        int offset = 0;
        Slice Next(int length)
        {
            var slice = new Slice(offset, length);
            offset += (length + Alignment - 1) / Alignment * Alignment;
            return slice;
        }

        foreach (var layer in graph.Layers)
        {
            var key = LayerKey.For(graph, layer);
            var slots = key.Rules.WeightSlots(key);
            result.Add(slots.Length switch
            {
                0 => LayerWeights.None,
                2 => new LayerWeights(Next(slots[0]), Next(slots[1])),
                4 => new LayerWeights(Next(slots[0]), Next(slots[1]), Next(slots[2]), Next(slots[3])),
                _ => throw new InvalidOperationException($"{layer.Op} has {slots.Length} weight slots; a layer has 0, 2 (weight, bias) or 4."),
            });
        }
        return new WeightLayout(result, offset);
    }
}
