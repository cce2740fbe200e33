using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SubnetGen.Core.Search;
using SubnetGen.Reports;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>
/// The markdown <c>subnetgen bench-search</c> prints: one table per claim, each followed by a sentence that sums it up
/// against the paper's figure, then the picks (architecture, costs, predicted and test accuracy) the tables name.
/// </summary>
internal static class ClaimsReport
{
    /// <summary>What the papers report, as the sentences quote it.</summary>
    public const string CompOfaPaper = "216× faster search at equal quality";
    public const string MoofaPaper = "+1.3 to +2.4 points at tight memory";

    public const string Infeasible = "infeasible";
    public const string None = "—";

    public static string Markdown(ClaimsRun run)
    {
        var text = new StringBuilder();
        foreach (string line in run.Setup) text.Append(line).Append('\n');
        text.Append('\n');
        Speed(run, text);
        text.Append('\n');
        Memory(run, text);
        text.Append('\n');
        Picks(run, text);
        return text.ToString();
    }

    private static void Speed(ClaimsRun run, StringBuilder text)
    {
        var (ofa, compOfa) = (run.Families[0], run.Families[1]);
        text.Append("### CompOFA's claim: ").Append(CompOfaPaper).Append("\n\n");
        Row(text, "budget", $"{ofa.Name} search (ms)", $"{ofa.Name} configs costed", $"{compOfa.Name} search (ms)", $"{compOfa.Name} configs costed",
            $"{compOfa.Name} × faster", $"{ofa.Name} pick", $"{ofa.Name} predicted", $"{ofa.Name} test", $"{compOfa.Name} pick", $"{compOfa.Name} predicted",
            $"{compOfa.Name} test", $"{compOfa.Name} − {ofa.Name} (test, points)");
        text.Append("|---|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|\n");
        foreach (var row in run.Speed)
        {
            var (a, b) = (row.Ofa.Result, row.CompOfa.Result);
            Row(text, MarkdownCode.Cell(row.Budget.Label), Ms(row.Ofa.MedianMilliseconds), Evaluated(a), Ms(row.CompOfa.MedianMilliseconds), Evaluated(b),
                a is null || b is null ? None : Ratio(row.Ofa.MedianMilliseconds / row.CompOfa.MedianMilliseconds),
                Id(run, ofa, a), Predicted(a), Test(run, ofa, a), Id(run, compOfa, b), Predicted(b), Test(run, compOfa, b), Difference(run, compOfa, b, ofa, a));
        }

        var both = run.Speed.Where(r => r.Ofa.Result is not null && r.CompOfa.Result is not null).ToList();
        text.Append('\n');
        if (both.Count == 0)
        {
            text.Append("No budget had a subnet in both spaces.\n");
            return;
        }
        var ratios = both.Select(r => r.Ofa.MedianMilliseconds / r.CompOfa.MedianMilliseconds).OrderBy(x => x).ToList();
        var deltas = both.Select(r => Points(run, compOfa, r.CompOfa.Result!, ofa, r.Ofa.Result!)).ToList();
        text.Append(string.Create(CultureInfo.InvariantCulture,
            $"At the {both.Count} budget(s) with a subnet in both spaces, {compOfa.Name}'s exhaustive search was {Range(Ratio(ratios[0]), Ratio(ratios[^1]))} faster than {ofa.Name}'s evolutionary search (median {Ratio(Median(ratios))}; paper: 216×), and its picks scored {Range(Signed(deltas.Min()), Signed(deltas.Max()))} points against {ofa.Name}'s on the test images (mean {Signed(deltas.Average())})."))
            .Append('\n');
    }

    private static void Memory(ClaimsRun run, StringBuilder text)
    {
        var families = run.Families;
        var (ofa, compOfa, moofa) = (families[0], families[1], families[2]);
        text.Append("### MOOFA's claim: ").Append(MoofaPaper).Append("\n\n");
        var header = new List<string> { "budget", "all three fit" };
        foreach (var f in families) { header.Add($"{f.Name} pick"); header.Add($"{f.Name} test"); }
        header.Add($"{moofa.Name} − {ofa.Name} (points)");
        header.Add($"{moofa.Name} − {compOfa.Name} (points)");
        Row(text, header.ToArray());
        text.Append("|---|---|").Append(string.Concat(families.Select(_ => "---|---:|"))).Append("---:|---:|\n");
        foreach (var row in run.Memory)
        {
            var cells = new List<string> { MarkdownCode.Cell(row.Budget.Label), row.AllFit ? "yes" : "no" };
            for (int i = 0; i < families.Count; i++)
            {
                cells.Add(Id(run, families[i], row.Picks[i]));
                cells.Add(Test(run, families[i], row.Picks[i]));
            }
            cells.Add(Difference(run, moofa, row.Picks[2], ofa, row.Picks[0]));
            cells.Add(Difference(run, moofa, row.Picks[2], compOfa, row.Picks[1]));
            Row(text, cells.ToArray());
        }

        text.Append('\n');
        var all = run.Memory.Where(r => r.AllFit).ToList();
        if (all.Count > 0)
        {
            var overOfa = all.Select(r => Points(run, moofa, r.Picks[2]!, ofa, r.Picks[0]!)).ToList();
            var overCompOfa = all.Select(r => Points(run, moofa, r.Picks[2]!, compOfa, r.Picks[1]!)).ToList();
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"Where all three fit ({all.Count} budget(s)), {moofa.Name}'s pick scored {Range(Signed(overOfa.Min()), Signed(overOfa.Max()))} points against {ofa.Name}'s (paper: +1.3 to +2.4) and {Range(Signed(overCompOfa.Min()), Signed(overCompOfa.Max()))} against {compOfa.Name}'s on the test images."));
        }
        else text.Append("No budget fits all three families.");
        foreach (var row in run.Memory.Where(r => !r.AllFit && r.Picks.Any(p => p is not null)))
        {
            var fit = families.Where((_, i) => row.Picks[i] is not null).Select(f => f.Name).ToList();
            text.Append($" At {MarkdownCode.Cell(row.Budget.Label)} only {string.Join(" and ", fit)} {(fit.Count == 1 ? "has" : "have")} a subnet.");
        }
        text.Append('\n');
    }

    private static void Picks(ClaimsRun run, StringBuilder text)
    {
        text.Append("### Picks\n\n");
        Row(text, "pick", "family", "architecture", "MACs", "peak memory (KB)", "MOOFA peak (elements)", "predicted", "test", "correct");
        text.Append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var pick in run.Picks.All)
        {
            var cost = pick.Result.Cost;
            Row(text, pick.Id, pick.Family.Name, MarkdownCode.Cell(pick.Result.Config.ToString()), cost.Macs.ToString("#,0", CultureInfo.InvariantCulture),
                (cost.PeakMemoryBytes / BudgetKey.BytesPerKilobyte).ToString("0.##", CultureInfo.InvariantCulture),
                cost.MoofaPeakElements.ToString("#,0", CultureInfo.InvariantCulture), Percent(pick.Result.PredictedAccuracy), Percent(pick.Test.Accuracy),
                string.Create(CultureInfo.InvariantCulture, $"{pick.Test.Correct:#,0} / {pick.Test.Images:#,0}"));
        }
    }

    private static void Row(StringBuilder text, params string[] cells) => text.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");

    // Architecture strings hold '|', which would split a markdown cell.

    private static string Id(ClaimsRun run, BenchFamily family, SearchResult? result) => result is null ? Infeasible : run.Picks.Of(family, result).Id;

    private static string Evaluated(SearchResult? result) => result is null ? Infeasible : result.Evaluated.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Predicted(SearchResult? result) => result is null ? None : Percent(result.PredictedAccuracy);

    private static string Test(ClaimsRun run, BenchFamily family, SearchResult? result) => result is null ? None : Percent(run.Picks.Of(family, result).Test.Accuracy);

    private static string Difference(ClaimsRun run, BenchFamily a, SearchResult? ra, BenchFamily b, SearchResult? rb) =>
        ra is null || rb is null ? None : Signed(Points(run, a, ra, b, rb));

    private static double Points(ClaimsRun run, BenchFamily a, SearchResult ra, BenchFamily b, SearchResult rb) =>
        (run.Picks.Of(a, ra).Test.Accuracy - run.Picks.Of(b, rb).Test.Accuracy) * 100;

    private static string Range(string low, string high) => low == high ? low : low + " to " + high;

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "#,0.0", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString(ratio < 10 ? "0.0" : "#,0", CultureInfo.InvariantCulture) + "×";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    private static string Signed(double points) => points.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);
}
