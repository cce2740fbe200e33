using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Search;
using SubnetGen.Reports;

namespace SubnetGen.Pipeline;

/// <summary>
/// <c>&lt;Model&gt;.pareto.md</c> beside the artifact: the budget, the pick, and the accuracy/cost Pareto
/// fronts (by MACs and by peak memory) over the feasible subnets the search evaluated.
/// </summary>
public static class ParetoReport
{
    public static string Render(ModelConstraints model, TargetConstraints target, string supernet, SearchResult result)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(model.Name).Append(" — target \"").Append(target.Name).Append("\"\n\n");
        text.Append("Supernet: ").Append(supernet).Append(". Search: ").Append(result.Method.ToString().ToLowerInvariant())
            .Append(", ").Append(result.Evaluated.ToString(CultureInfo.InvariantCulture)).Append(" subnets evaluated.\n\n");
        text.Append("Budget: ").Append(BudgetText(target.Budget));
        if (ObjectiveText(target.Budget) is { } objective) text.Append("; pick: ").Append(objective);
        text.Append("\n\n");
        text.Append("Chosen: `").Append(result.Config).Append("` — predicted accuracy ").Append(SizeText.Promised(result.PredictedAccuracy, result.Promise))
            .Append(", ").Append(SizeText.Macs(result.Cost.Macs)).Append(", peak ").Append(SizeText.Kilobytes(result.Cost.PeakMemoryBytes))
            .Append(", weights ").Append(SizeText.Kilobytes(result.Cost.WeightBytes)).Append('\n');
        Front(text, "Pareto front: accuracy vs MACs", result.ParetoByMacs, result);
        Front(text, "Pareto front: accuracy vs peak memory", result.ParetoByPeakMemory, result);
        if (result.Promise is not null)
            text.Append("\nThe search ranks subnets by the predictor (for a table, its additive fit over the configs measured on the images it selects with); held out is each ")
                .Append("subnet's accuracy on other images, the promise.\n");
        return text.ToString();
    }

    /// <summary>"the lowest MACs reaching minAccuracy" when the target minimises a cost (<see cref="Budget.Minimize"/>), else null.</summary>
    public static string? ObjectiveText(Budget budget) =>
        budget.Minimize is { } key ? "the lowest " + key.Bounds + " reaching " + BudgetKey.MinAccuracy.Name : null;

    public static string BudgetText(Budget budget)
    {
        var parts = BudgetKey.All
            .Where(key => key.Limit(budget) is not null)
            .Select(key => key.Bounds + " " + SizeText.Bound(key, budget))
            .ToList();
        return parts.Count == 0 ? "none (the most accurate subnet)" : string.Join(", ", parts);
    }

    // A '|' inside a table cell ends the cell, even in a code span, unless escaped (GitHub-flavoured Markdown).
    private static void Front(StringBuilder text, string title, IReadOnlyList<ParetoPoint> front, SearchResult result)
    {
        text.Append("\n## ").Append(title).Append("\n\n");
        bool heldOut = result.Promise is not null;
        text.Append(heldOut
            ? "| | architecture | predictor | held out (95 % interval) | MACs | peak memory | latency |\n|---|---|---:|---:|---:|---:|---:|\n"
            : "| | architecture | predicted accuracy | MACs | peak memory | latency |\n|---|---|---:|---:|---:|---:|\n");
        foreach (var point in front)
        {
            text.Append("| ").Append(point.Config.Equals(result.Config) ? "**chosen**" : "").Append(" | ").Append(MarkdownCode.Cell(point.Config.ToString())).Append(" | ")
                .Append(SizeText.Percent(point.PredictedAccuracy)).Append(" | ");
            if (heldOut)
                text.Append(point.Promise is { } p ? SizeText.HeldOut(p) : "–").Append(" | ");
            text.Append(point.Macs.ToString("#,0", CultureInfo.InvariantCulture)).Append(" | ")
                .Append(SizeText.Kilobytes(point.PeakMemoryBytes)).Append(" | ")
                .Append(point.LatencyMs is double ms ? SizeText.Milliseconds(ms) : "–").Append(" |\n");
        }
    }
}
