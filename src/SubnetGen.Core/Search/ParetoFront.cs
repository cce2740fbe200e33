using System;
using System.Collections.Generic;
using System.Linq;

namespace SubnetGen.Core.Search;

/// <summary>Accuracy-versus-cost fronts over feasible candidates, for the build's Pareto report and page.</summary>
internal static class ParetoFront
{
    /// <summary>Walk by ascending cost (ties: more accurate first, then architecture) and keep every strict accuracy gain.</summary>
    /// <param name="cost">A double so that latency (ms) fronts use the same walk; byte and MAC counts stay exact below 2⁵³.</param>
    public static IReadOnlyList<ParetoPoint> Build(IEnumerable<Candidate> feasible, Func<Candidate, double> cost)
    {
        var result = new List<ParetoPoint>();
        double best = double.NegativeInfinity;
        foreach (var c in feasible
                     .OrderBy(cost)
                     .ThenByDescending(c => c.Accuracy!.Value)
                     .ThenBy(c => c.Config.ToString(), StringComparer.Ordinal))
        {
            if (c.Accuracy!.Value <= best) continue;
            best = c.Accuracy.Value;
            result.Add(new ParetoPoint(c.Config, best, c.Cost.Macs, c.Cost.PeakMemoryBytes, c.Cost.WeightBytes, c.Latency?.Milliseconds));
        }
        return result;
    }
}
