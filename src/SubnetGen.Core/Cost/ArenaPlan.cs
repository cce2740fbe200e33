using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Cost;

/// <summary>
/// Where every activation tensor of a subnet lives in the model's single float arena.
/// <see cref="TotalFloats"/> × 4 is the peak activation memory the generated code allocates, exactly.
/// </summary>
public sealed record ArenaPlan(IReadOnlyList<int> Offsets, int TotalFloats)
{
    public long PeakMemoryBytes => TotalFloats * 4L;

    /// <summary>
    /// Static buffer plan from tensor lifetimes (TFLite's greedy-by-size): a tensor is live from the
    /// layer that writes it to the last layer that reads it, both inclusive, so an op's inputs and
    /// output never share memory. Larger tensors are placed first, each at the lowest offset that
    /// overlaps no live-at-the-same-time tensor already placed. Deterministic: ties break by tensor index.
    /// </summary>
    public static ArenaPlan Create(SubnetGraph graph)
    {
        int n = graph.Tensors.Count;
        var first = Enumerable.Repeat(int.MaxValue, n).ToArray();
        var last = Enumerable.Repeat(-1, n).ToArray();
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var layer = graph.Layers[i];
            foreach (int t in new[] { layer.Input, layer.Output, layer.Residual, layer.Scratch })
            {
                if (t == Layer.External) continue;
                first[t] = Math.Min(first[t], i);
                last[t] = Math.Max(last[t], i);
            }
        }

        // Arrays, not LINQ: the search plans thousands of subnets (this is most of a cost evaluation).
        var order = new List<int>(n);
        for (int t = 0; t < n; t++) if (last[t] >= 0) order.Add(t);
        order.Sort((a, b) =>
        {
            int c = graph.Tensors[b].Length.CompareTo(graph.Tensors[a].Length);
            return c != 0 ? c : a.CompareTo(b);
        });
        var offsets = Enumerable.Repeat(-1, n).ToArray();
        var placed = new List<int>(order.Count);
        var conflicts = new List<int>(order.Count);
        int total = 0;
        foreach (int t in order)
        {
            int size = graph.Tensors[t].Length;
            conflicts.Clear();
            foreach (int p in placed)
                if (first[p] <= last[t] && first[t] <= last[p]) conflicts.Add(p);
            // Order among equal offsets cannot change the first fit (same break test, max is commutative).
            conflicts.Sort((a, b) => offsets[a].CompareTo(offsets[b]));
            int offset = 0;
            foreach (int p in conflicts)
            {
                if (offset + size <= offsets[p]) break;
                offset = Math.Max(offset, offsets[p] + graph.Tensors[p].Length);
            }
            offsets[t] = offset;
            placed.Add(t);
            total = Math.Max(total, offset + size);
        }
        return new ArenaPlan(offsets, total);
    }
}
