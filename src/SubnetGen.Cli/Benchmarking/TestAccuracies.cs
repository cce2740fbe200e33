using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>A config's generated model run on the test images: the accuracy and, per image, whether it was right.</summary>
internal sealed record TestMeasurement(AccuracyResult Result, bool[] Hits);

/// <summary>
/// Test-set accuracies of subnets, each measured once: extracted as a build extracts it (OFA: BN recalibrated on the
/// bundle's calibration images), generated, compiled and run on every test image — what <c>subnetgen evaluate</c>
/// prints for the same config. Images are prepared once per input geometry. Thread-safe, so <see cref="Measure"/> can
/// fill it on several cores before a caller that asks for one config at a time.
/// </summary>
internal sealed class TestAccuracies(TestImages images)
{
    private readonly Dictionary<(Family, SubnetConfig), TestMeasurement> _measured = new();
    private readonly Dictionary<(int, int, int), float[][]> _prepared = new();
    private readonly object _lock = new();

    public int Images => images.Count;

    public bool Has(BenchFamily family, SubnetConfig config)
    {
        lock (_lock) return _measured.ContainsKey((family.Family, config));
    }

    public TestMeasurement Of(BenchFamily family, SubnetConfig config)
    {
        lock (_lock)
            if (_measured.TryGetValue((family.Family, config), out var known)) return known;
        using var model = GeneratedModelCompiler.Compile(family.Bundle, config);
        var input = model.Artifact.Input!;
        var hits = new bool[images.Count];
        var result = AccuracyRun.Run(model, Prepared(input.Height, input.Width, input.Channels), images.Labels, hits: hits);
        var measurement = new TestMeasurement(result, hits);
        lock (_lock) return _measured.TryAdd((family.Family, config), measurement) ? measurement : _measured[(family.Family, config)];
    }

    /// <summary>
    /// Measures the <paramref name="configs"/> not measured yet, <paramref name="threads"/> at a time, logging every tenth.
    /// The counts do not depend on the thread; the images/s of models measured side by side do (they share the cores).
    /// </summary>
    public void Measure(BenchFamily family, IEnumerable<SubnetConfig> configs, int threads, TextWriter log)
    {
        var missing = configs.Distinct().Where(c => !Has(family, c)).ToList();
        if (missing.Count == 0) return;
        log = TextWriter.Synchronized(log);
        log.WriteLine($"{family.Name}: measuring {missing.Count} configs on {images.Count:#,0} images, {threads} at a time…");
        int done = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = threads }, config =>
            {
                Of(family, config);
                int count = Interlocked.Increment(ref done);
                if (count % 10 == 0 || count == missing.Count)
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count}/{missing.Count}  {clock.Elapsed.TotalSeconds:F0} s"));
            });
        }
        catch (AggregateException e)
        {
            // The first failure as itself, so the command's error handling sees a compile or bundle error, not a wrapper.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private float[][] Prepared(int height, int width, int channels)
    {
        lock (_lock)
        {
            if (!_prepared.TryGetValue((height, width, channels), out var prepared))
            {
                prepared = Enumerable.Range(0, images.Count).Select(i => images.Prepare(i, height, width, channels)).ToArray();
                _prepared.Add((height, width, channels), prepared);
            }
            return prepared;
        }
    }
}
