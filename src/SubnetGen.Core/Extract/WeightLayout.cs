using System.Collections.Generic;
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Extract;

/// <summary>A run of floats in the weights file or the arena.</summary>
public readonly record struct Slice(int Offset, int Length)
{
    public int End => Offset + Length;
}

/// <summary>The weight slices one layer reads (folded BN: every conv has a bias). Squeeze-excite uses all four.</summary>
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
            TensorShape input = layer.Input == Layer.External ? graph.InputShape : graph.Tensors[layer.Input];
            int outC = layer.Output == Layer.External ? input.Channels : graph.Tensors[layer.Output].Channels;
            int inC = input.Channels, k = layer.Kernel;
            result.Add(layer.Op switch
            {
                OpKind.Conv => new LayerWeights(Next(outC * k * k * inC), Next(outC)),
                OpKind.Depthwise => new LayerWeights(Next(k * k * inC), Next(inC)),
                OpKind.Pointwise or OpKind.Linear => new LayerWeights(Next(inC * outC), Next(outC)),
                OpKind.SqueezeExcite => new LayerWeights(
                    Next(layer.ReducedChannels * inC), Next(layer.ReducedChannels),
                    Next(inC * layer.ReducedChannels), Next(inC)),
                _ => LayerWeights.None,
            });
        }
        return new WeightLayout(result, offset);
    }
}
