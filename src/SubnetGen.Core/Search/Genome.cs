using System;
using System.Collections.Generic;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// OFA's evolutionary encoding: a depth per stage and a kernel and expand ratio for every block slot up to
/// the maximum depth. Slots past a stage's depth are carried along (a later mutation of the depth may
/// activate them), as in OFA. Coupled spaces ignore the slot expands: depth decides. A space with elastic
/// resolution adds one resolution gene; without one, no draw is made for it (so searches of other spaces are unchanged).
/// </summary>
internal sealed class Genome
{
    private readonly DesignSpace _space;
    private readonly int[] _depth;
    private readonly int[,] _kernel, _expand;
    private int? _resolution;

    private Genome(DesignSpace space, int stages)
    {
        _space = space;
        _depth = new int[stages];
        _kernel = new int[stages, space.MaxDepth];
        _expand = new int[stages, space.MaxDepth];
    }

    public static Genome Random(DesignSpace space, int stages, Random random)
    {
        var g = new Genome(space, stages);
        for (int s = 0; s < stages; s++)
        {
            g._depth[s] = Pick(space.Depths, random);
            for (int b = 0; b < space.MaxDepth; b++)
            {
                g._kernel[s, b] = Pick(space.KernelChoices(s), random);
                g._expand[s, b] = Pick(space.ExpandRatios, random);
            }
        }
        if (space.Resolutions is { } resolutions) g._resolution = Pick(resolutions, random);
        return g;
    }

    public static Genome From(DesignSpace space, SubnetConfig config)
    {
        var g = new Genome(space, config.Stages.Count);
        for (int s = 0; s < config.Stages.Count; s++)
        {
            var blocks = config.Stages[s];
            g._depth[s] = blocks.Count;
            for (int b = 0; b < space.MaxDepth; b++)
            {
                var block = blocks[Math.Min(b, blocks.Count - 1)];
                g._kernel[s, b] = block.KernelSize;
                g._expand[s, b] = block.ExpandRatio;
            }
        }
        g._resolution = config.Resolution;
        return g;
    }

    /// <summary>Each depth, kernel and expand gene is resampled with probability <paramref name="probability"/>.</summary>
    public Genome Mutate(double probability, Random random)
    {
        var g = Clone();
        for (int s = 0; s < _depth.Length; s++)
        {
            if (random.NextDouble() < probability) g._depth[s] = Pick(_space.Depths, random);
            for (int b = 0; b < _space.MaxDepth; b++)
            {
                if (random.NextDouble() < probability) g._kernel[s, b] = Pick(_space.KernelChoices(s), random);
                if (random.NextDouble() < probability) g._expand[s, b] = Pick(_space.ExpandRatios, random);
            }
        }
        if (_space.Resolutions is { } resolutions && random.NextDouble() < probability) g._resolution = Pick(resolutions, random);
        return g;
    }

    /// <summary>Uniform crossover: every gene from one parent or the other with equal chance.</summary>
    public static Genome Crossover(Genome a, Genome b, Random random)
    {
        var g = a.Clone();
        for (int s = 0; s < g._depth.Length; s++)
        {
            if (random.Next(2) == 1) g._depth[s] = b._depth[s];
            for (int i = 0; i < g._space.MaxDepth; i++)
            {
                if (random.Next(2) == 1) g._kernel[s, i] = b._kernel[s, i];
                if (random.Next(2) == 1) g._expand[s, i] = b._expand[s, i];
            }
        }
        if (g._space.Resolutions is not null && random.Next(2) == 1) g._resolution = b._resolution;
        return g;
    }

    public SubnetConfig ToConfig()
    {
        var stages = new IReadOnlyList<BlockConfig>[_depth.Length];
        for (int s = 0; s < _depth.Length; s++)
        {
            int d = _depth[s];
            var blocks = new BlockConfig[d];
            for (int b = 0; b < d; b++)
                blocks[b] = new BlockConfig(_kernel[s, b], _space.IsCoupled ? _space.CoupledExpandByDepth![d] : _expand[s, b]);
            stages[s] = blocks;
        }
        return new SubnetConfig(stages, _resolution);
    }

    private Genome Clone()
    {
        var g = new Genome(_space, _depth.Length);
        Array.Copy(_depth, g._depth, _depth.Length);
        Array.Copy(_kernel, g._kernel, _kernel.Length);
        Array.Copy(_expand, g._expand, _expand.Length);
        g._resolution = _resolution;
        return g;
    }

    private static int Pick(IReadOnlyList<int> values, Random random) => values[random.Next(values.Count)];
}
