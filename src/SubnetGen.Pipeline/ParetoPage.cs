using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SubnetGen.Core.Search;
using SubnetGen.Pipeline.Svg;

namespace SubnetGen.Pipeline;

/// <summary>
/// <c>&lt;Model&gt;.pareto.html</c> beside the artifact: the Pareto report as one self-contained page, with an inline SVG
/// plot of predicted accuracy against each cost that has a front (MACs, peak memory, weights, latency when estimated),
/// the pick marked and the target's budgets drawn, then a table of the front points. No scripts, no external files,
/// and well-formed XML as well as HTML, so the same search writes the same bytes and a test can parse it.
/// </summary>
public static class ParetoPage
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #222222; max-width: 1180px; }
        h1 { font-size: 1.4em; margin-bottom: 0.3em; }
        h2 { font-size: 1.15em; margin-top: 1.6em; }
        p { margin: 0.35em 0; }
        code { font-family: ui-monospace, Consolas, monospace; font-size: 0.92em; }
        .caveat { color: #ffffff; background: #b00020; padding: 6px 10px; font-weight: bold; display: inline-block; }
        .plots { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 16px; }
        figure { margin: 0; border: 1px solid #dddddd; padding: 4px; }
        figure svg { display: block; max-width: 100%; height: auto; }
        .legend { color: #555555; font-size: 0.9em; margin-top: 8px; }
        .legend .point { color: #1f77b4; }
        .legend .pick { color: #d62728; }
        table { border-collapse: collapse; font-size: 0.9em; }
        th, td { border-bottom: 1px solid #dddddd; padding: 4px 8px; text-align: right; vertical-align: top; }
        th { background: #f4f4f4; }
        td, th { white-space: nowrap; }
        td.config, th.config { text-align: left; white-space: normal; max-width: 460px; }
        tr.pick td { background: #fdecea; font-weight: bold; }
        """;

    public static string Render(ParetoSubject subject)
    {
        var result = subject.Result;
        string title = subject.Model + " — target \u201C" + subject.Target + "\u201D";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        html.Append("<title>").Append(E(title)).Append(" — SubnetGen Pareto front</title>\n");
        html.Append("<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        if (subject.Caveat is not null) html.Append("<p class=\"caveat\">").Append(E(subject.Caveat)).Append("</p>\n");
        html.Append("<p>Supernet: ").Append(E(subject.SupernetId + " " + subject.SupernetVersion)).Append(". Search: ")
            .Append(result.Method.ToString().ToLowerInvariant()).Append(", ").Append(result.Evaluated.ToString("#,0", CultureInfo.InvariantCulture))
            .Append(" subnets evaluated.</p>\n");
        html.Append("<p>Budget: ").Append(E(ParetoReport.BudgetText(subject.Budget)));
        if (ParetoReport.ObjectiveText(subject.Budget) is { } objective) html.Append("; pick: ").Append(E(objective));
        html.Append(".</p>\n");
        html.Append("<p>Chosen: <code>").Append(E(result.Config.ToString())).Append("</code> — predicted accuracy ")
            .Append(E(SizeText.Promised(result.PredictedAccuracy, result.Promise))).Append(", ").Append(E(SizeText.Macs(result.Cost.Macs)))
            .Append(", peak ").Append(E(SizeText.Kilobytes(result.Cost.PeakMemoryBytes)))
            .Append(", weights ").Append(E(SizeText.Kilobytes(result.Cost.WeightBytes)));
        if (result.LatencyMs is double ms)
            html.Append(", latency ").Append(E(SizeText.Milliseconds(ms))).Append(result.LatencyIsEstimate ? " (estimated)" : "");
        html.Append(".</p>\n");

        html.Append("<div class=\"plots\">\n");
        foreach (var (cost, points) in subject.Fronts)
        {
            if (points.Count == 0) continue;
            html.Append("<figure>\n").Append(ScatterPlot.Render(Plot(subject, cost, points, AccuracySpan(subject)))).Append("</figure>\n");
        }
        html.Append("</div>\n");
        html.Append("<p class=\"legend\"><span class=\"point\">●</span> a subnet on the front: no feasible subnet the search saw is cheaper and at least as accurate; ")
            .Append("<span class=\"pick\">◆</span> the chosen subnet; dashed lines: the target's budgets. ")
            .Append(result.Promise is null
                ? "Accuracy is the supernet's predictor's estimate, not a measurement on unseen images. "
                : "Accuracy is measured on held-out images the search did not rank subnets by; bars: its 95 % interval. The fronts are the predictor's. ")
            .Append("Hover a point for its architecture.</p>\n");

        html.Append("<h2>Front points</h2>\n");
        Table(html, subject);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The plot of the front over <paramref name="cost"/>: x in the unit people read it in (M MACs, KB, ms), y in percent.</summary>
    internal static ScatterPlotData Plot(ParetoSubject subject, BudgetKey cost, IReadOnlyList<ParetoPoint> points, (double Low, double High)? ySpan = null)
    {
        var (divisor, unit) = Unit(cost);
        string estimated = cost.Measure == BudgetMeasure.Latency && subject.Result.LatencyIsEstimate ? ", estimated" : "";
        PlotPoint At(ParetoPoint p) => new(ParetoSubject.Cost(p, cost)!.Value / divisor, p.PromisedAccuracy * 100, Tooltip(p, cost),
            p.Promise?.Lower * 100, p.Promise?.Upper * 100);

        var xBounds = new List<PlotBound>();
        if (cost.Limit(subject.Budget) is double limit) xBounds.Add(new PlotBound(limit / divisor, cost.Name + " " + SizeText.Bound(cost, subject.Budget)));
        var yBounds = new List<PlotBound>();
        if (BudgetKey.MinAccuracy.Limit(subject.Budget) is double floor)
            yBounds.Add(new PlotBound(floor * 100, BudgetKey.MinAccuracy.Name + " " + SizeText.Bound(BudgetKey.MinAccuracy, subject.Budget)));

        bool heldOut = subject.Result.Promise is not null;
        return new ScatterPlotData(
            (heldOut ? "Held-out accuracy vs " : "Predicted accuracy vs ") + cost.Bounds,
            cost.Bounds + " (" + unit + estimated + ")",
            heldOut ? "held-out accuracy (%), 95 % interval" : "predicted accuracy (%)",
            points.Select(At).ToList(),
            At(subject.Pick),
            "chosen",
            xBounds,
            yBounds,
            ySpan);
    }

    /// <summary>The accuracies (percent) of every front point and the pick: one y axis for all plots, so they read side by side.</summary>
    private static (double Low, double High) AccuracySpan(ParetoSubject subject)
    {
        var all = subject.Fronts.SelectMany(f => f.Points).Append(subject.Pick)
            .SelectMany(p => new[] { p.PromisedAccuracy, p.Promise?.Lower ?? p.PromisedAccuracy, p.Promise?.Upper ?? p.PromisedAccuracy })
            .Select(a => a * 100).ToList();
        return (all.Min(), all.Max());
    }

    private static (double Divisor, string Unit) Unit(BudgetKey cost) => cost.Measure switch
    {
        BudgetMeasure.Macs => (1e6, "millions"),
        BudgetMeasure.PeakMemory or BudgetMeasure.Weights => (BudgetKey.BytesPerKilobyte, "KB"),
        BudgetMeasure.Latency => (1, "ms"),
        BudgetMeasure.Parameters or BudgetMeasure.Accuracy => throw new ArgumentException($"no plot is drawn over {cost.Bounds}.", nameof(cost)),
    };

    private static string Tooltip(ParetoPoint p, BudgetKey cost) =>
        p.Config + "\n" + (p.Promise is { } promise ? SizeText.Percent(promise.Accuracy) + " held out (" + SizeText.Interval(promise) + "), " : "")
        + SizeText.Percent(p.PredictedAccuracy) + " predicted, " + CostText(p, cost);

    private static string CostText(ParetoPoint p, BudgetKey cost) => cost.Measure switch
    {
        BudgetMeasure.Macs => SizeText.Macs(p.Macs),
        BudgetMeasure.PeakMemory => "peak " + SizeText.Kilobytes(p.PeakMemoryBytes),
        BudgetMeasure.Weights => "weights " + SizeText.Kilobytes(p.WeightBytes),
        BudgetMeasure.Latency => "latency " + (p.LatencyMs is double ms ? SizeText.Milliseconds(ms) : "n/a"),
        BudgetMeasure.Parameters or BudgetMeasure.Accuracy => throw new ArgumentException($"no plot is drawn over {cost.Bounds}.", nameof(cost)),
    };

    /// <summary>Every subnet on some front, once, most accurate first, with the fronts it is on; the pick's row marked (and added if it is on none).</summary>
    private static void Table(StringBuilder html, ParetoSubject subject)
    {
        var fronts = subject.Fronts.Where(f => f.Points.Count > 0).ToList();
        var rows = new Dictionary<string, (ParetoPoint Point, List<string> On)>(StringComparer.Ordinal);
        foreach (var (cost, points) in fronts)
            foreach (var point in points)
            {
                string key = point.Config.ToString();
                if (!rows.TryGetValue(key, out var row)) rows[key] = row = (point, new List<string>());
                row.On.Add(cost.Bounds);
            }
        string pick = subject.Result.Config.ToString();
        if (!rows.ContainsKey(pick)) rows[pick] = (subject.Pick, new List<string>());
        bool latency = subject.Result.LatencyMs is not null;

        bool heldOut = subject.Result.Promise is not null;
        html.Append("<table>\n<thead>\n<tr><th></th><th class=\"config\">architecture</th><th>predicted accuracy</th>");
        if (heldOut) html.Append("<th>held out (95 % interval)</th>");
        html.Append("<th>MACs</th><th>peak memory</th><th>weights</th>");
        if (latency) html.Append("<th>latency</th>");
        html.Append("<th class=\"config\">on the front by</th></tr>\n</thead>\n<tbody>\n");
        foreach (var (config, (point, on)) in rows
                     .Select(r => (r.Key, r.Value))
                     .OrderByDescending(r => r.Value.Point.PredictedAccuracy)
                     .ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            bool chosen = string.Equals(config, pick, StringComparison.Ordinal);
            html.Append(chosen ? "<tr class=\"pick\"><td>chosen</td>" : "<tr><td></td>")
                .Append("<td class=\"config\"><code>").Append(Breakable(config)).Append("</code></td>")
                .Append("<td>").Append(E(SizeText.Percent(point.PredictedAccuracy))).Append("</td>");
            if (heldOut)
                html.Append("<td>").Append(point.Promise is { } p ? E(SizeText.HeldOut(p)) : "–").Append("</td>");
            html.Append("<td>").Append(point.Macs.ToString("#,0", CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td>").Append(E(SizeText.Kilobytes(point.PeakMemoryBytes))).Append("</td>")
                .Append("<td>").Append(E(SizeText.Kilobytes(point.WeightBytes))).Append("</td>");
            if (latency) html.Append("<td>").Append(point.LatencyMs is double ms ? E(SizeText.Milliseconds(ms)) : "–").Append("</td>");
            html.Append("<td class=\"config\">").Append(E(on.Count == 0 ? "–" : string.Join(", ", on))).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>An architecture that wraps between stages ('|'), not inside a block's "k3e4".</summary>
    private static string Breakable(string config) => E(config).Replace("|", "|<wbr/>");

    private static string E(string text) => SvgWriter.Escape(text);
}
