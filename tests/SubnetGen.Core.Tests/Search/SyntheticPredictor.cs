using System;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Search;

/// <summary>
/// A deterministic stand-in for a trained predictor: a seeded random weight per encoding position plus a
/// pairwise term between neighbouring slots, so the landscape has interactions evolution must navigate.
/// </summary>
internal sealed class SyntheticPredictor : IAccuracyPredictor
{
    private readonly SupernetSpec _spec;
    private readonly double[] _weights;

    public SyntheticPredictor(SupernetSpec spec, int seed)
    {
        _spec = spec;
        var random = new Random(seed);
        _weights = new double[ArchitectureEncoding.Length(spec)];
        for (int i = 0; i < _weights.Length; i++) _weights[i] = random.NextDouble() * 0.01;
    }

    public int Calls { get; private set; }

    public double Predict(SubnetConfig config)
    {
        Calls++;
        var x = ArchitectureEncoding.Encode(_spec, config);
        double sum = 0.7;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * _weights[i];
            if (i + 6 < x.Length) sum += 0.004 * x[i] * x[i + 6] * (_weights[i] - 0.005);
        }
        return sum;
    }
}

/// <summary>Any function of the config as a predictor.</summary>
internal sealed class FunctionPredictor : IAccuracyPredictor
{
    private readonly Func<SubnetConfig, double> _f;
    public FunctionPredictor(Func<SubnetConfig, double> f) => _f = f;
    public double Predict(SubnetConfig config) => _f(config);
}
