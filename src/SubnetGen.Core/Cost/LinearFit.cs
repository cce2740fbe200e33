using System;
using System.Collections.Generic;
using System.Linq;

namespace SubnetGen.Core.Cost;

/// <summary>
/// Least-squares line microseconds = overhead + slope · work. Falls back to a line through the origin
/// (slope = Σxy / Σx²) when there are fewer than two distinct work values or the free fit would give a
/// negative overhead or slope, which a latency cannot have.
/// </summary>
internal readonly record struct LinearFit(double Overhead, double Slope)
{
    public double Predict(double work) => Overhead + Slope * work;

    public static LinearFit Fit(IReadOnlyList<(double Work, double Microseconds)> samples)
    {
        int n = samples.Count;
        double sx = samples.Sum(s => s.Work), sy = samples.Sum(s => s.Microseconds);
        double sxx = samples.Sum(s => s.Work * s.Work), sxy = samples.Sum(s => s.Work * s.Microseconds);
        double denominator = n * sxx - sx * sx;
        if (n >= 2 && denominator > 1e-9 * n * sxx)
        {
            double slope = (n * sxy - sx * sy) / denominator;
            double overhead = (sy - slope * sx) / n;
            if (slope >= 0 && overhead >= 0) return new LinearFit(overhead, slope);
        }
        if (sxx > 0) return new LinearFit(0, Math.Max(0, sxy / sxx));
        return new LinearFit(n > 0 ? sy / n : 0, 0); // only zero-work samples: their mean
    }
}
