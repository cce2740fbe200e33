using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Cost;

public class ArenaPlanTests
{
    [Fact]
    public void SmallGraphGetsTheHandComputedPlan()
    {
        // normalize → conv → depthwise → pointwise (+ shortcut from the conv output) → pool → linear → softmax.
        var tensors = new List<TensorShape>
        {
            new(4, 4, 1),  // t0: 16, live at layers 0–1
            new(4, 4, 2),  // t1: 32, live 1–3 (the shortcut keeps it)
            new(4, 4, 2),  // t2: 32, live 2–3
            new(4, 4, 2),  // t3: 32, live 3–4
            new(1, 1, 2),  // t4: 2, live 4–5
            new(1, 1, 3),  // t5: 3, live 5–6
        };
        var layers = new List<Layer>
        {
            new(OpKind.Normalize, "input", Layer.External, 0),
            new(OpKind.Conv, "stem", 0, 1, 3),
            new(OpKind.Depthwise, "dw", 1, 2, 3),
            new(OpKind.Pointwise, "project", 2, 3, Residual: 1),
            new(OpKind.GlobalAveragePool, "pool", 3, 4),
            new(OpKind.Linear, "classifier", 4, 5),
            new(OpKind.Softmax, "softmax", 5, Layer.External),
        };
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        var graph = new SubnetGraph(spec, spec.Space.Smallest(spec.Stages.Count), tensors, layers);

        var plan = ArenaPlan.Create(graph);

        // Largest first (t1, t2, t3 by index, then t0, t5, t4), each at the lowest offset free of live neighbours:
        // t1 → 0; t2 overlaps t1 → 32; t3 overlaps t1 and t2 → 64; t0 overlaps t1 only → 32;
        // t5 overlaps nothing placed → 0; t4 overlaps t3 (64) and t5 (0..3) → 3.
        Assert.Equal(new[] { 32, 0, 32, 64, 3, 0 }, plan.Offsets);
        Assert.Equal(96, plan.TotalFloats); // = t1 + t2 + t3, all live at the pointwise: the lower bound
        Assert.Equal(384, plan.PeakMemoryBytes);
    }

    public static IEnumerable<object[]> RandomGraphs()
    {
        var random = new Random(7);
        foreach (Family family in new[] { Family.Ofa, Family.CompOfa, Family.MoOfa })
        {
            var spec = DefaultSupernets.FashionMnist(family);
            var choices = Enumerable.Range(0, spec.Stages.Count).Select(spec.Space.StageChoices).ToArray();
            for (int i = 0; i < 12; i++)
            {
                var config = new SubnetConfig(choices.Select(c => c[random.Next(c.Count)]).ToArray());
                yield return new object[] { family, config.ToString() };
            }
        }
    }

    [Theory]
    [MemberData(nameof(RandomGraphs))]
    public void PlanNeverOverlapsLiveTensorsAndMeetsTheLiveSizeBound(Family family, string architecture)
    {
        var spec = DefaultSupernets.FashionMnist(family);
        var graph = GraphBuilder.Build(spec, SubnetConfig.Parse(architecture));
        var plan = ArenaPlan.Create(graph);

        // Lifetimes computed here from the layer list: first writer to last reader, inclusive.
        int n = graph.Tensors.Count;
        var first = new int[n];
        var last = new int[n];
        for (int t = 0; t < n; t++) { first[t] = int.MaxValue; last[t] = -1; }
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var l = graph.Layers[i];
            foreach (int t in new[] { l.Input, l.Output, l.Residual, l.Scratch }.Where(t => t != Layer.External))
            {
                first[t] = Math.Min(first[t], i);
                last[t] = Math.Max(last[t], i);
            }
        }

        (int Start, int End) Span(int t) => (plan.Offsets[t], plan.Offsets[t] + graph.Tensors[t].Length);
        bool Disjoint(int a, int b) => Span(a).End <= Span(b).Start || Span(b).End <= Span(a).Start;

        long lowerBound = 0;
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var live = Enumerable.Range(0, n).Where(t => first[t] <= i && i <= last[t]).ToArray();
            foreach (int a in live)
            {
                Assert.InRange(Span(a).Start, 0, plan.TotalFloats - graph.Tensors[a].Length);
                foreach (int b in live.Where(b => b > a))
                    Assert.True(Disjoint(a, b), $"tensors {a} and {b} share arena floats at layer {i} ({graph.Layers[i].Name})");
            }
            lowerBound = Math.Max(lowerBound, live.Sum(t => (long)graph.Tensors[t].Length));

            // The buffers one op touches are pairwise disjoint (squeeze-excite's in-place input/output is one tensor).
            var l = graph.Layers[i];
            var touched = new[] { l.Input, l.Output, l.Residual, l.Scratch }.Where(t => t != Layer.External).Distinct().ToArray();
            foreach (int a in touched)
                foreach (int b in touched.Where(b => b > a))
                    Assert.True(Disjoint(a, b), $"layer {l.Name}: tensors {a} and {b} overlap");
        }

        Assert.True(plan.TotalFloats >= lowerBound);
        Assert.True(plan.TotalFloats <= graph.Tensors.Sum(t => (long)t.Length));
        Assert.Equal(plan.TotalFloats * 4L, CostModel.Measure(graph).PeakMemoryBytes);
    }

    [Fact]
    public void PlanIsDeterministic()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var config = SubnetConfig.Parse("k7e3,k3e6|k5e4,k3e3,k7e6|k3e3,k5e4|k3e3,k7e6,k5e4,k3e4|k3e4,k3e3");
        var a = ArenaPlan.Create(GraphBuilder.Build(spec, config));
        var b = ArenaPlan.Create(GraphBuilder.Build(spec, config));
        Assert.Equal(a.Offsets, b.Offsets);
        Assert.Equal(a.TotalFloats, b.TotalFloats);
    }
}
