using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;
using TorchSharp;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Evaluation;

/// <summary>The MLP's size and training length: OFA's by default; tests use a smaller one to run in seconds.</summary>
internal sealed record MlpShape(int Hidden, int Epochs)
{
    public static readonly MlpShape Ofa = new(400, 500);
}

/// <summary>A predictor kind's k-fold cross-validation: every measured subnet predicted by a fit that did not see it.</summary>
internal sealed record PredictorComparison(PredictorKind Kind, PredictorValidation Validation);

/// <summary>
/// Fits an accuracy predictor on measured (config, accuracy) pairs: OFA's MLP (3 hidden layers of 400, ReLU) or
/// ridge regression, both on the one-hot architecture encoding. Quality is reported by k-fold cross-validation
/// (RMSE and Kendall's tau over every subnet's out-of-fold prediction, made by the same Core predictor the build
/// runs); the shipped predictor is then fitted on all pairs, so no measured subnet is spent on validation only.
/// </summary>
internal static class PredictorTrainer
{
    public const int DefaultFolds = 5;

    /// <summary>
    /// Cross-validates <paramref name="kind"/> (for <see cref="PredictorKind.Auto"/>: both kinds, see <see cref="Choose"/>),
    /// fits the chosen kind on every sample and returns it with its cross-validation as its validation.
    /// </summary>
    public static (PredictorFile Predictor, IReadOnlyList<PredictorComparison> Compared) Train(SupernetSpec spec,
        IReadOnlyList<(SubnetConfig Config, double Accuracy)> samples, int seed, PredictorKind kind = PredictorKind.Mlp, int folds = DefaultFolds, MlpShape? mlp = null)
    {
        var compared = Compare(spec, samples, kind, seed, folds, mlp: mlp);
        var chosen = Choose(compared);
        return (Fit(spec, samples, chosen.Kind, seed, mlp) with { Validation = chosen.Validation }, compared);
    }

    /// <summary>Cross-validates <paramref name="kind"/>, or mlp and linear for Auto; <paramref name="measured"/> hears each as it ends.</summary>
    public static IReadOnlyList<PredictorComparison> Compare(SupernetSpec spec, IReadOnlyList<(SubnetConfig Config, double Accuracy)> samples,
        PredictorKind kind, int seed, int folds = DefaultFolds, Action<PredictorComparison>? measured = null, MlpShape? mlp = null,
        IReadOnlyList<double>? truth = null)
    {
        var kinds = kind == PredictorKind.Auto ? new[] { PredictorKind.Mlp, PredictorKind.Linear } : new[] { kind };
        var compared = new List<PredictorComparison>();
        foreach (var k in kinds)
        {
            var comparison = new PredictorComparison(k, CrossValidate(spec, samples, k, seed, folds, mlp, truth));
            compared.Add(comparison);
            measured?.Invoke(comparison);
        }
        return compared;
    }

    /// <summary>The higher Kendall tau wins (the search ranks subnets), then the lower RMSE, then the earlier kind.</summary>
    public static PredictorComparison Choose(IReadOnlyList<PredictorComparison> compared) =>
        compared.OrderByDescending(c => c.Validation.KendallTau).ThenBy(c => c.Validation.Rmse).First();

    /// <summary>
    /// k-fold cross-validation: samples are dealt to <paramref name="folds"/> folds in a seeded random order; each
    /// fold is predicted by a fit on the others. The predictions are scored against <paramref name="truth"/> (another
    /// measurement of the same subnets, in the same order) where given, else against the samples' own accuracies.
    /// </summary>
    public static PredictorValidation CrossValidate(SupernetSpec spec, IReadOnlyList<(SubnetConfig Config, double Accuracy)> samples,
        PredictorKind kind, int seed, int folds = DefaultFolds, MlpShape? mlp = null, IReadOnlyList<double>? truth = null)
    {
        if (truth is not null && truth.Count != samples.Count)
            throw new ArgumentException($"{truth.Count} reference accuracies for {samples.Count} measured subnets: score against a measurement of the same subnets.");
        if (folds < 2) throw new ArgumentException($"Cross-validation needs at least 2 folds (got {folds}).");
        if (samples.Count < 2 * folds)
            throw new ArgumentException($"{folds}-fold cross-validation needs at least {2 * folds} measured subnets (got {samples.Count}).");
        var order = Enumerable.Range(0, samples.Count).ToArray();
        new Random(seed).Shuffle(order);
        var fold = new int[samples.Count];
        for (int i = 0; i < order.Length; i++) fold[order[i]] = i % folds;

        var predicted = new double[samples.Count];
        for (int f = 0; f < folds; f++)
        {
            var training = samples.Where((_, i) => fold[i] != f).ToArray();
            var predictor = Fit(spec, training, kind, seed, mlp).CreatePredictor(spec);
            for (int i = 0; i < samples.Count; i++)
                if (fold[i] == f) predicted[i] = predictor.Predict(samples[i].Config);
        }
        var measured = truth?.ToArray() ?? samples.Select(s => s.Accuracy).ToArray();
        double rmse = Math.Sqrt(measured.Zip(predicted, (a, b) => (a - b) * (a - b)).Average());
        return new PredictorValidation(rmse, KendallTau(measured, predicted), samples.Count, folds);
    }

    /// <summary>Fits <paramref name="kind"/> (Mlp or Linear) on every sample; no validation.</summary>
    public static PredictorFile Fit(SupernetSpec spec, IReadOnlyList<(SubnetConfig Config, double Accuracy)> samples, PredictorKind kind, int seed, MlpShape? mlp = null)
    {
        if (samples.Count < 2) throw new ArgumentException($"A predictor needs at least 2 measured subnets (got {samples.Count}).");
        int length = ArchitectureEncoding.Length(spec);
        var x = new float[samples.Count * length];
        for (int i = 0; i < samples.Count; i++) ArchitectureEncoding.Encode(spec, samples[i].Config).CopyTo(x, i * length);
        var y = samples.Select(s => s.Accuracy).ToArray();
        return kind switch
        {
            PredictorKind.Mlp => FitMlp(x, length, y, seed, mlp ?? MlpShape.Ofa),
            PredictorKind.Linear => FitLinear(x, length, y),
            _ => throw new ArgumentException($"Fit takes mlp or linear, not {kind}."),
        };
    }

    private static PredictorFile FitLinear(float[] x, int length, double[] y)
    {
        var fit = RidgeRegression.Fit(x, y.Length, length, y);
        var weights = new float[1, length];
        for (int c = 0; c < length; c++) weights[0, c] = (float)fit.Weights[c];
        return PredictorFile.Mlp(new[] { new PredictorLayer(weights, new[] { (float)fit.Intercept }) }, 1, 0);
    }

    private static PredictorFile FitMlp(float[] x, int length, double[] y, int seed, MlpShape shape)
    {
        int hidden = shape.Hidden;
        int n = y.Length;
        double mean = y.Average();
        double std = Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average());
        if (std < 1e-6) std = 1;

        var layers = InitialLayers(new[] { length, hidden, hidden, hidden, 1 }, seed);
        using var inputs = tensor(x, new long[] { n, length });
        using var targets = ((tensor(y.Select(v => (float)v).ToArray()) - mean) / std).view(n, 1);
        using var optimizer = optim.Adam(layers.SelectMany(l => new[] { l.Weight, l.Bias }), 1e-3);
        for (int epoch = 0; epoch < shape.Epochs; epoch++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(Forward(layers, inputs), targets).backward();
            optimizer.step();
        }

        var fitted = layers.Select(l =>
        {
            int outF = (int)l.Weight.shape[0], inF = (int)l.Weight.shape[1];
            var data = l.Weight.detach().data<float>().ToArray();
            var weights = new float[outF, inF];
            for (int o = 0; o < outF; o++) for (int i = 0; i < inF; i++) weights[o, i] = data[o * inF + i];
            return new PredictorLayer(weights, l.Bias.detach().data<float>().ToArray());
        }).ToArray();
        foreach (var l in layers) { l.Weight.Dispose(); l.Bias.Dispose(); }
        return PredictorFile.Mlp(fitted, std, mean);
    }

    /// <summary>Dense layers with ReLU between them, as the build's MlpPredictor runs them.</summary>
    private static Tensor Forward(IReadOnlyList<(TorchSharp.Modules.Parameter Weight, TorchSharp.Modules.Parameter Bias)> layers, Tensor x)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            x = nn.functional.linear(x, layers[i].Weight, layers[i].Bias);
            if (i < layers.Count - 1) x = nn.functional.relu(x);
        }
        return x;
    }

    /// <summary>
    /// PyTorch's default Linear initialisation (weight and bias U(±1/√in)), drawn from a generator of this seed.
    /// Not nn.Linear, whose constructor draws from torch's global generator: any other torch work in the process
    /// (a test on another thread, a host application) moves that one, and a fit must not move it either.
    /// </summary>
    private static (TorchSharp.Modules.Parameter Weight, TorchSharp.Modules.Parameter Bias)[] InitialLayers(int[] widths, int seed)
    {
        using var generator = new torch.Generator(unchecked((ulong)seed));
        var layers = new (TorchSharp.Modules.Parameter, TorchSharp.Modules.Parameter)[widths.Length - 1];
        for (int i = 0; i < layers.Length; i++)
        {
            double bound = 1.0 / Math.Sqrt(widths[i]);
            Tensor Uniform(params long[] shape)
            {
                using var scope = NewDisposeScope();
                return (torch.rand(shape, generator: generator) * (2 * bound) - bound).MoveToOuterDisposeScope();
            }
            layers[i] = (new TorchSharp.Modules.Parameter(Uniform(widths[i + 1], widths[i])), new TorchSharp.Modules.Parameter(Uniform(widths[i + 1])));
        }
        return layers;
    }

    /// <summary>Kendall's tau-a: (concordant − discordant) / pairs.</summary>
    public static double KendallTau(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        long concordant = 0, discordant = 0, pairs = 0;
        for (int i = 0; i < a.Count; i++)
            for (int j = i + 1; j < a.Count; j++, pairs++)
            {
                double s = Math.Sign(a[i] - a[j]) * Math.Sign(b[i] - b[j]);
                if (s > 0) concordant++;
                else if (s < 0) discordant++;
            }
        return pairs == 0 ? 0 : (double)(concordant - discordant) / pairs;
    }
}
