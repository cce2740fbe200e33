using System;
using System.Linq;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Evaluation;

/// <summary>What <see cref="RidgeRegression.Fit"/> found: y ≈ Intercept + Σ Weights·x.</summary>
internal sealed record RidgeFit(double[] Weights, double Intercept, double Penalty);

/// <summary>
/// Ridge regression with an unpenalised intercept. On the one-hot architecture encoding this is an additive
/// model: one accuracy effect per (block slot, kernel) and (block slot, expand) choice. The penalty is picked per
/// fit from <see cref="Penalties"/> by leave-one-out error, which ridge has in closed form
/// (residual / (1 − leverage)), so a fit needs no held-out data of its own.
/// </summary>
internal static class RidgeRegression
{
    public static readonly double[] Penalties = { 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000 };

    /// <param name="x">Row-major [rows][columns] features.</param>
    public static RidgeFit Fit(float[] x, int rows, int columns, double[] y)
    {
        if (rows < 2 || x.Length != rows * columns || y.Length != rows)
            throw new ArgumentException($"Ridge regression needs at least 2 rows of {columns} features and one target per row.");
        using var scope = NewDisposeScope();
        var features = tensor(x.Select(v => (double)v).ToArray(), new long[] { rows, columns }, ScalarType.Float64);
        var targets = tensor(y, new long[] { rows, 1 }, ScalarType.Float64);
        var featureMean = features.mean(new long[] { 0 }, keepdim: true);
        double targetMean = y.Average();
        var centred = features - featureMean;
        var centredTargets = targets - targetMean;
        var gram = centred.t().matmul(centred);
        var moment = centred.t().matmul(centredTargets);
        var identity = eye(columns, dtype: ScalarType.Float64);

        Tensor? best = null;
        double bestError = double.PositiveInfinity, bestPenalty = double.NaN;
        foreach (double penalty in Penalties)
        {
            var system = gram + identity * penalty;
            var weights = linalg.solve(system, moment);
            // Leverages h_i = x_i (XᵀX + λI)⁻¹ x_iᵀ; leave-one-out residual = residual / (1 − h_i).
            var leverage = (centred * linalg.solve(system, centred.t()).t()).sum(1, keepdim: true);
            var residual = centredTargets - centred.matmul(weights);
            double error = (residual / (1 - leverage)).square().mean().item<double>();
            // Ordinal comparison on the grid order: the smaller penalty wins a tie.
            if (error < bestError)
            {
                bestError = error;
                bestPenalty = penalty;
                best = weights;
            }
        }
        var w = best!.flatten().data<double>().ToArray();
        var mean = featureMean.flatten().data<double>().ToArray();
        double intercept = targetMean;
        for (int c = 0; c < columns; c++) intercept -= mean[c] * w[c];
        return new RidgeFit(w, intercept, bestPenalty);
    }
}
