using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Profiling;

/// <summary>
/// Measures, on the machine it runs on, every layer shape a supernet's subnets are made of, for a
/// <see cref="DeviceLatencyTable"/>: the distinct <see cref="LayerKey"/>s of every config (spaces of at most
/// <see cref="ExhaustiveLimit"/> configs) or of the reference subnets plus seeded random samples (OFA), each
/// timed through <see cref="LayerRunner"/> after a warm-up, one call at a time, in <see cref="Rounds"/> rounds over
/// all shapes; the entry is the fastest round's median.
/// </summary>
public static class DeviceProfiler
{
    public const int ExhaustiveLimit = 1000;

    /// <summary>
    /// Rounds over all shapes (or whole models); each keeps its fastest round's median. One median of a few hundred calls
    /// spans well under a second, so a spell of load from another process, or a slow phase of the machine, would
    /// otherwise fix one shape's entry high while its neighbours were timed fast — and the whole-model scale with it.
    /// </summary>
    public const int Rounds = 5;

    /// <summary>The configs whose layers are profiled: all of a small space, else smallest, middle, largest and <paramref name="samples"/> random ones.</summary>
    public static IReadOnlyList<SubnetConfig> Configs(SupernetSpec spec, int samples, int seed)
    {
        int stages = spec.Stages.Count;
        if (spec.Space.Count(stages) is long count and > 0 and <= ExhaustiveLimit)
            return spec.Space.Enumerate(stages).ToList();
        var random = new Random(seed);
        var configs = ReferenceSubnets.Names.Select(n => ReferenceSubnets.ByName(spec, n)!).ToList();
        for (int i = 0; i < samples; i++) configs.Add(RandomSubnets.Sample(spec.Space, stages, random));
        return configs;
    }

    /// <summary>Distinct layer keys of <paramref name="configs"/>, in ordinal order of their text.</summary>
    public static IReadOnlyList<LayerKey> Keys(SupernetSpec spec, IEnumerable<SubnetConfig> configs)
    {
        var keys = new Dictionary<string, LayerKey>(StringComparer.Ordinal);
        foreach (var config in configs)
        {
            var graph = GraphBuilder.Build(spec, config);
            foreach (var layer in graph.Layers)
            {
                var key = LayerKey.For(graph, layer);
                keys[key.ToString()] = key;
            }
        }
        return keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Value).ToList();
    }

    /// <summary>Microseconds per call of each key: the fastest of <see cref="Rounds"/> medians of <paramref name="iterations"/> calls, after a warm-up; <paramref name="progress"/> gets (done, total) over all rounds.</summary>
    public static IReadOnlyDictionary<string, double> Measure(IReadOnlyList<LayerKey> keys, int iterations, Action<int, int>? progress = null)
    {
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "at least 1");
        var runs = keys.Select((k, i) => LayerRunner.Prepare(k, seed: i)).ToList();

        // Warm-up over every key until tiered compilation has had time to optimise each kernel (the JIT
        // recompiles a method after ~30 calls and a short delay; a generated model runs that code).
        var warm = Stopwatch.StartNew();
        for (int round = 0; round < 50 || warm.ElapsedMilliseconds < 1500; round++)
            foreach (var run in runs) run();

        var fastest = FastestMedians(runs, iterations, progress);
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < keys.Count; i++) result[keys[i].ToString()] = Math.Round(fastest[i], 3);
        return result;
    }

    /// <summary>
    /// Each of <paramref name="runs"/> (warmed up by the caller) timed in <see cref="Rounds"/> rounds over all of them: the
    /// fastest round's median of <paramref name="iterations"/> calls, in microseconds; <paramref name="progress"/> gets (done, total).
    /// </summary>
    public static double[] FastestMedians(IReadOnlyList<Action> runs, int iterations, Action<int, int>? progress = null)
    {
        var fastest = Enumerable.Repeat(double.MaxValue, runs.Count).ToArray();
        for (int round = 0; round < Rounds; round++)
            for (int i = 0; i < runs.Count; i++)
            {
                fastest[i] = Math.Min(fastest[i], MedianMicroseconds(runs[i], iterations));
                progress?.Invoke(round * runs.Count + i + 1, Rounds * runs.Count);
            }
        return fastest;
    }

    /// <summary>The median of <paramref name="iterations"/> single timed calls of <paramref name="run"/>, in microseconds (the caller warms it up).</summary>
    public static double MedianMicroseconds(Action run, int iterations)
    {
        var samples = new double[iterations];
        for (int n = 0; n < iterations; n++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            samples[n] = (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency;
        }
        Array.Sort(samples);
        return samples[iterations / 2];
    }
}
