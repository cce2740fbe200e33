using System.Collections.Generic;
using System.Linq;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>A config's generated model run on the test images: the accuracy and, per image, whether it was right.</summary>
internal sealed record TestMeasurement(AccuracyResult Result, bool[] Hits);

/// <summary>
/// Test-set accuracies of subnets, each measured once: extracted as a build extracts it (OFA: BN recalibrated on the
/// bundle's calibration images), generated, compiled and run on every test image — what <c>subnetgen evaluate</c>
/// prints for the same config. Images are prepared once per input geometry.
/// </summary>
internal sealed class TestAccuracies(TestImages images)
{
    private readonly Dictionary<(Family, SubnetConfig), TestMeasurement> _measured = new();
    private readonly Dictionary<(int, int, int), float[][]> _prepared = new();

    public int Images => images.Count;

    public bool Has(BenchFamily family, SubnetConfig config) => _measured.ContainsKey((family.Family, config));

    public TestMeasurement Of(BenchFamily family, SubnetConfig config)
    {
        if (_measured.TryGetValue((family.Family, config), out var known)) return known;
        using var model = GeneratedModelCompiler.Compile(family.Bundle, config);
        var input = model.Artifact.Input!;
        var hits = new bool[images.Count];
        var result = AccuracyRun.Run(model, Prepared(input.Height, input.Width, input.Channels), images.Labels, hits: hits);
        var measurement = new TestMeasurement(result, hits);
        _measured.Add((family.Family, config), measurement);
        return measurement;
    }

    private float[][] Prepared(int height, int width, int channels)
    {
        if (!_prepared.TryGetValue((height, width, channels), out var prepared))
        {
            prepared = Enumerable.Range(0, images.Count).Select(i => images.Prepare(i, height, width, channels)).ToArray();
            _prepared.Add((height, width, channels), prepared);
        }
        return prepared;
    }
}
