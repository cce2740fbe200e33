using System;
using System.Collections.Generic;
using System.Linq;

namespace SubnetGen.Core.Search;

/// <summary>Accuracy-versus-cost fronts over feasible candidates, for the build's Pareto report.</summary>
internal static class ParetoFront
{
    /// <summary>Walk by ascending cost (ties: more accurate first, then architecture) and keep every strict accuracy gain.</summary>
    public static IReadOnlyList<ParetoPoint> Build(IEnumerable<Candidate> feasible, Func<Candidate, long> cost)
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
            result.Add(new ParetoPoint(c.Config, best, c.Cost.Macs, c.Cost.PeakMemoryBytes, c.Latency?.Milliseconds));
        }
        return result;
    }
}
