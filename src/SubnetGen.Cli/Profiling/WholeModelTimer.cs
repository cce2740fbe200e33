using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Profiling;

/// <summary>One whole model timed for the calibration: its fastest round's median <c>Predict</c> and the sum of its layers' medians in that round, µs.</summary>
public sealed record WholeModelTiming(SubnetConfig Config, double MeasuredMicroseconds, double LayerSumMicroseconds);

/// <summary>
/// Times whole generated models on this machine — extracted, generated and compiled as a build does — against the sum of
/// their own layers, for <see cref="WholeModelCalibration"/>: what timing layers alone misses. Each whole model and its
/// layers are timed back to back in each of <see cref="DeviceProfiler.Rounds"/> rounds, and the scale is fitted to those
/// same-round pairs: a shared VM runs whole phases a fifth slower or faster, which would otherwise land in the scale.
/// </summary>
public static class WholeModelTimer
{
    /// <summary>Random subnets timed besides smallest, middle and largest.</summary>
    public const int RandomSubnets = 5;

    /// <summary>Smallest, middle, largest and <see cref="RandomSubnets"/> seeded random subnets.</summary>
    public static IReadOnlyList<SubnetConfig> Configs(SupernetSpec spec, int seed)
    {
        var configs = ReferenceSubnets.Names.Select(n => ReferenceSubnets.ByName(spec, n)!).ToList();
        var random = new Random(seed);
        for (int i = 0; i < RandomSubnets; i++) configs.Add(Core.Search.RandomSubnets.Sample(spec.Space, spec.Stages.Count, random));
        return configs.Distinct().ToList();
    }

    public static (WholeModelCalibration Calibration, IReadOnlyList<WholeModelTiming> Timings) Calibrate(
        SupernetBundle bundle, IReadOnlyList<SubnetConfig> configs, int iterations, Action<WholeModelTiming>? progress = null)
    {
        var random = new Random(1);
        var models = new List<GeneratedModel>();
        try
        {
            var wholes = new List<Action>();
            var layers = new List<Action[]>();
            foreach (var config in configs)
            {
                var model = GeneratedModelCompiler.Compile(bundle, config);
                models.Add(model);
                var pixels = Enumerable.Range(0, model.InputLength).Select(_ => (float)random.NextDouble()).ToArray();
                var probabilities = new float[model.ClassCount];
                void Run() => model.Predict(pixels, probabilities);
                var graph = GraphBuilder.Build(bundle.Spec, config);
                var own = graph.Layers.Select((layer, j) => LayerRunner.Prepare(LayerKey.For(graph, layer), seed: j)).ToArray();
                var warm = Stopwatch.StartNew();
                for (int n = 0; n < 50 || warm.ElapsedMilliseconds < 500; n++) { Run(); foreach (var layer in own) layer(); }
                wholes.Add(Run);
                layers.Add(own);
            }

            var pairs = new List<(double Whole, double Layers)>();
            var fastest = new (double Whole, double Layers)[configs.Count];
            for (int i = 0; i < fastest.Length; i++) fastest[i] = (double.MaxValue, 0);
            for (int round = 0; round < DeviceProfiler.Rounds; round++)
                for (int i = 0; i < configs.Count; i++)
                {
                    double whole = DeviceProfiler.MedianMicroseconds(wholes[i], iterations);
                    double sum = layers[i].Sum(layer => DeviceProfiler.MedianMicroseconds(layer, iterations));
                    pairs.Add((whole, sum));
                    if (whole < fastest[i].Whole) fastest[i] = (whole, sum);
                }
            var timings = new List<WholeModelTiming>();
            for (int i = 0; i < configs.Count; i++)
            {
                var timing = new WholeModelTiming(configs[i], fastest[i].Whole, fastest[i].Layers);
                timings.Add(timing);
                progress?.Invoke(timing);
            }
            return (new WholeModelCalibration(Scale(pairs), configs.Count), timings);
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }

    /// <summary>Least-squares ratio of whole-model time to the same round's layer sum, rounded to 4 decimals.</summary>
    public static double Scale(IReadOnlyList<(double Whole, double Layers)> pairs)
    {
        double numerator = pairs.Sum(p => p.Whole * p.Layers);
        double denominator = pairs.Sum(p => p.Layers * p.Layers);
        return Math.Round(numerator / denominator, 4);
    }
}
