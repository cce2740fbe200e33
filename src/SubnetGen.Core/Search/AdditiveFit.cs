using System;
using System.Collections.Generic;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// A measured accuracy table smoothed by its main effects: least squares of accuracy on <see cref="ArchitectureEncoding"/>
/// (one effect per block choice and per resolution, plus an intercept). Each table entry is one config on a couple of
/// thousand images, so its noise is as large as the differences between neighbouring configs, and the table's maximum is
/// mostly a lucky draw (the winner's curse). The fit pools every config that shares a choice, so ranking by it picks
/// subnets whose accuracy holds on unseen images. The tiny ridge only makes the collinear one-hot system solvable.
/// Scalar double arithmetic in a fixed order: the same values on every CPU.
/// </summary>
public static class AdditiveFit
{
    private const double Ridge = 1e-3;

    /// <summary>The fitted accuracy of every entry of <paramref name="table"/> (architecture string → accuracy), same keys.</summary>
    public static Dictionary<string, double> Fit(SupernetSpec spec, IReadOnlyDictionary<string, double> table)
    {
        var keys = new List<string>(table.Keys);
        keys.Sort(StringComparer.Ordinal);
        int features = ArchitectureEncoding.Length(spec), p = features + 1;
        var rows = new float[keys.Count][];
        for (int i = 0; i < keys.Count; i++)
        {
            rows[i] = new float[features];
            ArchitectureEncoding.Encode(spec, SubnetConfig.Parse(keys[i]), rows[i]);
        }

        // Normal equations (XᵀX + λI)·w = Xᵀy with the intercept as the last, unpenalised column.
        var a = new double[p, p];
        var b = new double[p];
        for (int i = 0; i < keys.Count; i++)
        {
            double y = table[keys[i]];
            for (int j = 0; j < p; j++)
            {
                double xj = j < features ? rows[i][j] : 1;
                if (xj == 0) continue;
                b[j] += xj * y;
                for (int k = 0; k < p; k++) a[j, k] += xj * (k < features ? rows[i][k] : 1);
            }
        }
        for (int j = 0; j < features; j++) a[j, j] += Ridge;
        var w = CholeskySolve(a, b);

        var fitted = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < keys.Count; i++)
        {
            double value = w[features];
            for (int j = 0; j < features; j++) if (rows[i][j] != 0) value += w[j] * rows[i][j];
            fitted[keys[i]] = value;
        }
        return fitted;
    }

    /// <summary>Solves a symmetric positive definite system (the ridge makes it so).</summary>
    private static double[] CholeskySolve(double[,] a, double[] b)
    {
        int n = b.Length;
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (sum <= 0) throw new InvalidOperationException("The additive fit's normal equations are not positive definite.");
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        }
        var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i, k] * z[k];
            z[i] = sum / l[i, i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = z[i];
            for (int k = i + 1; k < n; k++) sum -= l[k, i] * x[k];
            x[i] = sum / l[i, i];
        }
        return x;
    }
}
