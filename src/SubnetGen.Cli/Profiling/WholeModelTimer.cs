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

/// <summary>One whole model timed for the calibration: its median <c>Predict</c> and the sum of its layers' entries, µs.</summary>
public sealed record WholeModelTiming(SubnetConfig Config, double MeasuredMicroseconds, double LayerSumMicroseconds);

/// <summary>
/// Times whole generated models on this machine — extracted, generated and compiled as a build does — against the sum of
/// their layers in a freshly measured table, for <see cref="WholeModelCalibration"/>: what timing layers alone misses.
/// Timed as the layers are: <see cref="DeviceProfiler.Rounds"/> rounds over all models, each keeping its fastest median.
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
        SupernetBundle bundle, DeviceLatencyTable layers, IReadOnlyList<SubnetConfig> configs, int iterations, Action<WholeModelTiming>? progress = null)
    {
        var sums = new LatencyModel(layers.WithWholeModel(null));
        var random = new Random(1);
        var models = new List<GeneratedModel>();
        try
        {
            var runs = new List<Action>();
            foreach (var config in configs)
            {
                var model = GeneratedModelCompiler.Compile(bundle, config);
                models.Add(model);
                var pixels = Enumerable.Range(0, model.InputLength).Select(_ => (float)random.NextDouble()).ToArray();
                var probabilities = new float[model.ClassCount];
                void Run() => model.Predict(pixels, probabilities);
                var warm = Stopwatch.StartNew();
                for (int n = 0; n < 50 || warm.ElapsedMilliseconds < 500; n++) Run();
                runs.Add(Run);
            }
            var fastest = DeviceProfiler.FastestMedians(runs, iterations);
            var timings = new List<WholeModelTiming>();
            for (int i = 0; i < configs.Count; i++)
            {
                var timing = new WholeModelTiming(configs[i], fastest[i], sums.Estimate(GraphBuilder.Build(bundle.Spec, configs[i])).Milliseconds * 1000);
                timings.Add(timing);
                progress?.Invoke(timing);
            }
            return (Fit(timings), timings);
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }

    private static WholeModelCalibration Fit(IReadOnlyList<WholeModelTiming> timings)
    {
        double numerator = timings.Sum(t => t.MeasuredMicroseconds * t.LayerSumMicroseconds);
        double denominator = timings.Sum(t => t.LayerSumMicroseconds * t.LayerSumMicroseconds);
        return new WholeModelCalibration(Math.Round(numerator / denominator, 4), timings.Count);
    }
}
