using System.Collections.Generic;
using System.Globalization;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Search;

namespace SubnetGen.Pipeline;

/// <summary>
/// The one line a build prints per model, e.g.
/// <c>SubnetGen: FashionClassifier [default] k3e3,k3e3|…: predicted accuracy 91.2 %, 4.12 M MACs, 52.3 k parameters, peak 61 KB ≤ 256 KB, weights 180.3 KB ≤ 1024 KB (SubnetGen.Supernet.FashionMnist.CompOFA 1.0.0, 243 subnets, exhaustive)</c>.
/// Every budget the target sets appears next to the value it limits; when the build wrote the Pareto page, the line ends
/// with <c>; front: …/FashionClassifier.pareto.html</c>, so the log says where to look.
/// </summary>
public static class BuildSummary
{
    /// <param name="page">The <c>.pareto.html</c> written, or null when nothing was written.</param>
    public static string Line(string model, string target, SearchResult result, SupernetManifest manifest, PredictorFile predictor, Budget budget, string? page = null)
    {
        var cost = result.Cost;
        var parts = new List<string>();
        // Elastic resolution: the input the pick runs at (the config's "@48" names it too).
        if (result.Config.Resolution is not null)
        {
            var (height, width) = manifest.Spec.InputSize(result.Config);
            parts.Add(string.Format(CultureInfo.InvariantCulture, "input {0}×{1} (trained at {2}×{3})", height, width, manifest.Spec.Input.Height, manifest.Spec.Input.Width));
        }
        parts.AddRange(new[]
        {
            "predicted accuracy " + SizeText.Promised(result.PredictedAccuracy, result.Promise) + Bound(BudgetKey.MinAccuracy, budget),
            SizeText.Macs(cost.Macs) + Bound(BudgetKey.MaxMacs, budget),
            SizeText.Count(cost.Parameters) + " parameters" + Bound(BudgetKey.MaxParameters, budget),
            "peak " + SizeText.Kilobytes(cost.PeakMemoryBytes) + Bound(BudgetKey.MaxPeakMemoryKB, budget),
            "weights " + SizeText.Kilobytes(cost.WeightBytes) + Bound(BudgetKey.MaxWeightsKB, budget),
        });
        if (result.LatencyMs is double ms)
            parts.Add("latency " + SizeText.Milliseconds(ms) + (result.LatencyIsEstimate ? " (estimated)" : "") + Bound(BudgetKey.MaxLatencyMs, budget));

        string caveat = Caveat(manifest, predictor) is { } text ? "; " + text : "";
        return string.Format(CultureInfo.InvariantCulture, "SubnetGen: {0} [{1}] {2}: {3} ({4} {5}, {6} subnets, {7}{8}){9}",
            model, target, result.Config, string.Join(", ", parts), manifest.Id, manifest.Version,
            result.Evaluated, result.Method.ToString().ToLowerInvariant() + (ParetoReport.ObjectiveText(budget) is { } objective ? ", " + objective : ""), caveat,
            page is null ? "" : "; front: " + page);
    }

    /// <summary>Why the predicted accuracies mean nothing, or null when they are predictions.</summary>
    public static string? Caveat(SupernetManifest manifest, PredictorFile predictor) =>
        !manifest.Trained ? "UNTRAINED supernet: predictions are meaningless"
        : predictor.Placeholder ? "placeholder predictor: accuracy is not a prediction" : null;

    private static string Bound(BudgetKey key, Budget budget)
    {
        string bound = SizeText.Bound(key, budget);
        return bound.Length == 0 ? "" : " " + bound;
    }
}
