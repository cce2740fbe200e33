using System.Globalization;
using SubnetGen.Core.Search;

namespace SubnetGen.Pipeline;

/// <summary>Human units for the build log and reports: KB = <see cref="BudgetKey.BytesPerKilobyte"/> bytes (the unit constraints.json speaks), M MACs.</summary>
public static class SizeText
{
    public static string Kilobytes(long bytes)
    {
        double kb = bytes / BudgetKey.BytesPerKilobyte;
        // Budgets are whole KB; show a fraction only where it carries information.
        return (kb == System.Math.Floor(kb) ? kb.ToString("0", CultureInfo.InvariantCulture) : kb.ToString("0.0", CultureInfo.InvariantCulture)) + " KB";
    }

    public static string Macs(long macs) => macs >= 1_000_000
        ? (macs / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M MACs"
        : (macs / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k MACs";

    public static string Count(long count) => count >= 1_000_000
        ? (count / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M"
        : (count / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k";

    public static string Percent(double? fraction) => fraction is null
        ? "n/a"
        : (fraction.Value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>
    /// What the build promises for a subnet: "92.0 % (95 % interval 91.4–92.6 %, 2,000 held-out images)" when the
    /// supernet measured it on held-out images, else the predictor's "92.8 %".
    /// </summary>
    public static string Promised(double predicted, AccuracyPromise? promise) => promise is null
        ? Percent(predicted)
        : Percent(promise.Accuracy) + " (" + Interval(promise) + ", " + promise.Images.ToString("#,0", CultureInfo.InvariantCulture) + " held-out images)";

    /// <summary>"95 % interval 91.4–92.6 %".</summary>
    public static string Interval(AccuracyPromise promise) =>
        (promise.Confidence * 100).ToString("0.#", CultureInfo.InvariantCulture) + " % interval " + Range(promise);

    /// <summary>A table cell: "92.0 % (91.4–92.6 %)".</summary>
    public static string HeldOut(AccuracyPromise promise) => Percent(promise.Accuracy) + " (" + Range(promise) + ")";

    /// <summary>"91.4–92.6 %".</summary>
    private static string Range(AccuracyPromise promise) =>
        (promise.Lower * 100).ToString("0.0", CultureInfo.InvariantCulture) + "–" + Percent(promise.Upper);

    public static string Milliseconds(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>
    /// A target's bound as the summary and the Pareto report show it, e.g. <c>≤ 300 KB</c>, <c>≤ 5,000,000</c>, <c>≥ 90.0 %</c>;
    /// empty when the target does not set <paramref name="key"/>.
    /// </summary>
    public static string Bound(BudgetKey key, Budget budget)
    {
        if (key.Limit(budget) is not double limit) return "";
        string value = key.Measure switch
        {
            BudgetMeasure.Latency => Milliseconds(limit),
            BudgetMeasure.PeakMemory or BudgetMeasure.Weights => Kilobytes((long)limit),
            BudgetMeasure.Accuracy => Percent(limit),
            // Counts are whole numbers; shown in full, as written in constraints.json.
            BudgetMeasure.Macs or BudgetMeasure.Parameters => ((long)limit).ToString("#,0", CultureInfo.InvariantCulture),
        };
        return (key.IsMinimum ? "≥ " : "≤ ") + value;
    }
}
