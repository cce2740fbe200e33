using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SubnetGen.Reports;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>The markdown <c>subnetgen bench-promises</c> prints: per family, each budget's promise against the test set, then the summary.</summary>
internal static class PromiseReport
{
    public static string Markdown(IReadOnlyList<PromiseRow> rows, IReadOnlyList<string> setup)
    {
        var text = new StringBuilder();
        foreach (var family in rows.GroupBy(r => r.Family.Family))
        {
            var first = family.First().Family;
            text.Append("### ").Append(first.Bundle.Manifest.Id).Append(' ').Append(first.Bundle.Manifest.Version)
                .Append(first.Bundle.Promise is null ? " (promise: the predictor's value)" : " (promise: held out, " + first.Bundle.Promise.Images.ToString("#,0", CultureInfo.InvariantCulture) + " images)")
                .Append("\n\n");
            text.Append("| budget | pick | promised | test | test − promised | best reference (even images) | reference − pick (odd images) |\n");
            text.Append("|---|---|---:|---:|---:|---|---:|\n");
            foreach (var row in family)
            {
                text.Append("| `").Append(row.Budget.Label).Append("` | ");
                if (row.Pick is null)
                {
                    text.Append("infeasible | | | | | |\n");
                    continue;
                }
                text.Append(MarkdownCode.Cell(row.Pick.Config.ToString())).Append(" | ")
                    .Append(Promised(row)).Append(" | ")
                    .Append(Percent(row.Test!.Result.Accuracy)).Append(" | ")
                    .Append(Points(row.Error)).Append(" | ");
                if (row.Reference is { } reference)
                    text.Append(reference.Kind).Append(reference.Config.Equals(row.Pick.Config) ? " (the pick)"
                            : reference.Kind == PromiseSweep.AnyFittingConfig ? " " + MarkdownCode.Cell(reference.Config.ToString()) : "").Append(", ")
                        .Append(Percent(reference.Test.Result.Accuracy)).Append(" | ")
                        .Append(Points(row.Shortfall)).Append(" ± ").Append((row.ShortfallError * 100).ToString("0.00", CultureInfo.InvariantCulture)).Append(" |\n");
                else text.Append("– | – |\n");
            }
            text.Append('\n').Append(Summary(family.Where(r => r.Pick is not null).ToList())).Append("\n\n");
        }
        text.Append("Setup:\n\n");
        foreach (string line in setup) text.Append("- ").Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>The bars, measured: promise error (mean, worst), interval coverage, and how far picks fall short of references.</summary>
    public static string Summary(IReadOnlyList<PromiseRow> rows)
    {
        if (rows.Count == 0) return "No budget had a feasible subnet.";
        double mean = rows.Average(r => r.Error), worst = rows.Max(r => -r.Error);
        var covered = rows.Where(r => r.Covered is not null).ToList();
        var compared = rows.Where(r => r.Reference is not null).ToList();
        var parts = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{rows.Count} feasible budgets: mean test − promised {Points(mean)} points, largest promise above test {Points(worst)} points"),
        };
        if (covered.Count > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"test accuracy inside the 95 % interval {covered.Count(r => r.Covered == true)} of {covered.Count}"));
        if (compared.Count > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"pick short of the best reference by {Points(compared.Average(r => r.Shortfall))} points on average, at most {Points(compared.Max(r => r.Shortfall))}"));
        return string.Join("; ", parts) + ".";
    }

    private static string Promised(PromiseRow row) => row.Pick!.Promise is { } p
        ? Percent(p.Accuracy) + " (" + (p.Lower * 100).ToString("0.0", CultureInfo.InvariantCulture) + "–" + (p.Upper * 100).ToString("0.0", CultureInfo.InvariantCulture) + ")"
        : Percent(row.Pick.PredictedAccuracy);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    private static string Points(double fraction) => (fraction * 100).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);
}
