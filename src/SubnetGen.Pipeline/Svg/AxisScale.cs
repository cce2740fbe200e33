using System;
using System.Collections.Generic;
using System.Globalization;

namespace SubnetGen.Pipeline.Svg;

/// <summary>
/// A linear axis over round numbers: the range covers the data with a little room, and ticks fall on multiples of
/// 1, 2, 2.5 or 5 × 10ⁿ, labelled with as many decimals as the step needs.
/// </summary>
internal sealed class AxisScale
{
    private AxisScale(double min, double max, double step, int decimals)
    {
        Min = min;
        Max = max;
        Step = step;
        Decimals = decimals;
    }

    public double Min { get; }
    public double Max { get; }
    public double Step { get; }
    public int Decimals { get; }

    /// <summary>The tick values from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            var ticks = new List<double>();
            int count = (int)Math.Round((Max - Min) / Step);
            for (int i = 0; i <= count; i++) ticks.Add(Math.Round(Min + i * Step, Decimals + 3));
            return ticks;
        }
    }

    /// <param name="low">Smallest value to show (data, budgets).</param>
    /// <param name="high">Largest value to show.</param>
    /// <param name="ticks">About how many intervals the axis should have.</param>
    public static AxisScale Covering(double low, double high, int ticks = 5)
    {
        if (double.IsNaN(low) || double.IsNaN(high) || double.IsInfinity(low) || double.IsInfinity(high) || low > high)
            throw new ArgumentOutOfRangeException(nameof(low), $"[{low}, {high}] is not a finite range.");
        if (high == low)
        {
            // One value (a front of one point): a range around it, so the point sits mid-axis.
            double half = low == 0 ? 1 : Math.Abs(low) * 0.05;
            low -= half;
            high += half;
        }
        // Room so that markers on the extremes are not cut by the frame.
        double margin = (high - low) * 0.04;
        low -= margin;
        high += margin;

        double rough = (high - low) / ticks;
        // Powers of ten by repeated IEEE multiplication, not Math.Log10, so every platform picks the same step.
        double magnitude = 1;
        while (rough / magnitude >= 10) magnitude *= 10;
        while (rough / magnitude < 1) magnitude /= 10;
        double residual = rough / magnitude;
        double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10;
        double step = nice * magnitude;

        int decimals = 0;
        for (double unit = 1; unit > step * 1.000001 && decimals < 12; unit /= 10) decimals++;
        if (nice == 2.5 && step < 10) decimals++;

        double min = Math.Floor(low / step) * step;
        double max = Math.Ceiling(high / step) * step;
        // Rounded so that labels and positions do not carry the last bits of 0.1's binary expansion.
        return new AxisScale(Math.Round(min, decimals + 3), Math.Round(max, decimals + 3), Math.Round(step, decimals + 3), decimals);
    }

    /// <summary>Where <paramref name="value"/> falls between <paramref name="from"/> (at <see cref="Min"/>) and <paramref name="to"/> (at <see cref="Max"/>).</summary>
    public double Map(double value, double from, double to) => from + (value - Min) / (Max - Min) * (to - from);

    public string Label(double tick)
    {
        string text = tick.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        // "-0.0" for a tick that is zero but for rounding.
        return text.TrimStart('-').Trim('0', '.').Length == 0 ? text.TrimStart('-') : text;
    }
}
