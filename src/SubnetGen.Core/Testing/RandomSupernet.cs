using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Testing;

/// <summary>
/// An untrained supernet with every tensor of docs/formats.md, for testing the pipeline without a
/// trainer. Deterministic: the same arguments give the same bundle, bit for bit (System.Random(seed),
/// whose seeded sequence .NET keeps stable). Values are chosen so activations stay in a sane range and
/// every code path is exercised:
/// <list type="bullet">
/// <item>convolution and linear weights: He normal, N(0, 2/fan_in);</item>
/// <item>biases (SE, classifier): U(−0.1, 0.1);</item>
/// <item>BN: γ ∈ U(0.5, 1.5), β ∈ U(−0.2, 0.2), running mean ∈ U(−0.2, 0.2), running var ∈ U(0.5, 2) (never zero);</item>
/// <item>kernel transforms: identity + U(−0.05, 0.05) noise, so a transform that is skipped or transposed shows.</item>
/// </list>
/// The predictor is a placeholder (<c>placeholder: true</c>): one linear layer over the <c>ofa-onehot</c>
/// encoding in which an active block adds k²/k²max + e/emax, scaled so accuracy runs from 0.5 (nothing)
/// to 0.9 (largest). Every weight is positive, so a subnet that is deeper, or has a larger kernel or
/// expand ratio in some block and is no smaller elsewhere, always predicts higher — roughly monotone in MACs,
/// which is what search tests need; its numbers mean nothing.
/// </summary>
public static class RandomSupernet
{
    public static SupernetBundle Create(SupernetSpec spec, string id, string version, int seed, IReadOnlyList<string> labels, CalibrationSet? calibration = null)
    {
        if (labels.Count != spec.ClassCount)
            throw new ArgumentException($"The supernet has {spec.ClassCount} classes but {labels.Count} labels were given.", nameof(labels));
        spec.Validate();

        var random = new Random(seed);
        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var required in SupernetTensors.Expected(spec))
            tensors.Add(required.Name, new WeightTensor(required.Shape, Values(required, random)));

        var manifest = new SupernetManifest(id, version, Trained: false, spec, labels.ToArray(),
            new Provenance(Tool: "SubnetGen.Core RandomSupernet", Dataset: null, Schedule: "random (untrained)", Epochs: 0,
                WallTimeSeconds: 0, Device: "none", Seed: seed),
            MeasuredAccuracy.NotMeasured);
        return new SupernetBundle(manifest, tensors, PlaceholderPredictor(spec),
            calibration ?? CalibrationSet.Empty(spec.Input.Height, spec.Input.Width, spec.Input.Channels));
    }

    /// <summary>The monotone placeholder predictor described on <see cref="RandomSupernet"/>.</summary>
    public static PredictorFile PlaceholderPredictor(SupernetSpec spec)
    {
        var space = spec.Space;
        int length = ArchitectureEncoding.Length(spec);
        int slot = space.KernelSizes.Count + space.ExpandRatios.Count;
        var weights = new float[1, length];
        double maximum = 0;
        for (int offset = 0; offset < length; offset += slot)
        {
            for (int k = 0; k < space.KernelSizes.Count; k++)
                weights[0, offset + k] = (float)((double)space.KernelSizes[k] * space.KernelSizes[k] / (space.MaxKernelSize * space.MaxKernelSize));
            for (int e = 0; e < space.ExpandRatios.Count; e++)
                weights[0, offset + space.KernelSizes.Count + e] = (float)((double)space.ExpandRatios[e] / space.MaxExpandRatio);
            maximum += 2;
        }
        return PredictorFile.Mlp(new[] { new PredictorLayer(weights, new[] { 0f }) }, outputScale: 0.4 / maximum, outputOffset: 0.5, placeholder: true);
    }

    private static float[] Values(TensorRequirement required, Random random)
    {
        string name = required.Name;
        var data = new float[WeightTensor.ElementCount(required.Shape)];
        if (name.EndsWith(".bn.weight", StringComparison.Ordinal)) Fill(data, () => Uniform(random, 0.5, 1.5));
        else if (name.EndsWith(".bn.bias", StringComparison.Ordinal) || name.EndsWith(".bn.running_mean", StringComparison.Ordinal))
            Fill(data, () => Uniform(random, -0.2, 0.2));
        else if (name.EndsWith(".bn.running_var", StringComparison.Ordinal)) Fill(data, () => Uniform(random, 0.5, 2.0));
        else if (name.EndsWith(".bias", StringComparison.Ordinal)) Fill(data, () => Uniform(random, -0.1, 0.1));
        else if (name.Contains(".transform_"))
        {
            int n = required.Shape[0];
            for (int i = 0; i < data.Length; i++) data[i] = (float)((i / n == i % n ? 1.0 : 0.0) + Uniform(random, -0.05, 0.05));
        }
        else
        {
            int fanIn = required.Shape.Skip(1).Aggregate(1, (a, d) => a * d);
            double std = Math.Sqrt(2.0 / fanIn);
            Fill(data, () => std * Gaussian(random));
        }
        return data;
    }

    private static void Fill(float[] data, Func<double> next)
    {
        for (int i = 0; i < data.Length; i++) data[i] = (float)next();
    }

    private static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();

    // Box–Muller; one draw per call keeps the sequence simple to reproduce.
    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
