using System.Collections.Generic;
using System.Globalization;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Search;

namespace SubnetGen.Pipeline;

/// <summary>
/// The one line a build prints per model, e.g.
/// <c>SubnetGen: FashionClassifier [default] k3e3,k3e3|…: predicted accuracy 91.2 %, 4.12 M MACs, 52.3 k parameters, peak 61 KB ≤ 256 KB, weights 180.3 KB ≤ 1024 KB (SubnetGen.Supernet.FashionMnist.CompOFA 1.0.0, 243 subnets, exhaustive)</c>.
/// Every budget the target sets appears next to the value it limits.
/// </summary>
public static class BuildSummary
{
    public static string Line(string model, string target, SearchResult result, SupernetManifest manifest, PredictorFile predictor, Budget budget)
    {
        var cost = result.Cost;
        var parts = new List<string>
        {
            "predicted accuracy " + SizeText.Percent(result.PredictedAccuracy)
                + (budget.MinAccuracy is double min ? " ≥ " + SizeText.Percent(min) : ""),
            SizeText.Macs(cost.Macs) + (budget.MaxMacs is long macs ? " ≤ " + macs.ToString("#,0", CultureInfo.InvariantCulture) : ""),
            SizeText.Count(cost.Parameters) + " parameters" + (budget.MaxParameters is long p ? " ≤ " + p.ToString("#,0", CultureInfo.InvariantCulture) : ""),
            "peak " + SizeText.Kilobytes(cost.PeakMemoryBytes) + (budget.MaxPeakMemoryBytes is long peak ? " ≤ " + SizeText.Kilobytes(peak) : ""),
            "weights " + SizeText.Kilobytes(cost.WeightBytes) + (budget.MaxWeightBytes is long w ? " ≤ " + SizeText.Kilobytes(w) : ""),
        };
        if (result.LatencyMs is double ms)
            parts.Add("latency " + SizeText.Milliseconds(ms) + (result.LatencyIsEstimate ? " (estimated)" : "")
                + (budget.MaxLatencyMs is double max ? " ≤ " + SizeText.Milliseconds(max) : ""));

        string caveat = !manifest.Trained ? "; UNTRAINED supernet: predictions are meaningless"
            : predictor.Placeholder ? "; placeholder predictor: accuracy is not a prediction" : "";
        return string.Format(CultureInfo.InvariantCulture, "SubnetGen: {0} [{1}] {2}: {3} ({4} {5}, {6} subnets, {7}{8})",
            model, target, result.Config, string.Join(", ", parts), manifest.Id, manifest.Version,
            result.Evaluated, result.Method.ToString().ToLowerInvariant(), caveat);
    }
}
