using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Search;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>Repeated runs of one deterministic search: its result (null: infeasible) and each run's wall time.</summary>
internal sealed record TimedSearch(SearchResult? Result, IReadOnlyList<double> Milliseconds)
{
    /// <summary>The median run (the mean of the middle two for an even count): robust to a run the machine disturbed.</summary>
    public double MedianMilliseconds
    {
        get
        {
            var sorted = Milliseconds.OrderBy(m => m).ToArray();
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /// <summary>Adds a run; the search is deterministic, so a run that picks differently is a bug, not noise.</summary>
    /// <exception cref="InvalidOperationException">The run picked another config than the first.</exception>
    public static TimedSearch Add(TimedSearch? runs, SearchResult? result, double milliseconds)
    {
        if (runs is null) return new TimedSearch(result, new[] { milliseconds });
        if (!Equals(runs.Result?.Config, result?.Config))
            throw new InvalidOperationException($"The search is not deterministic: it picked {runs.Result?.Config.ToString() ?? "nothing"}, then {result?.Config.ToString() ?? "nothing"}.");
        return runs with { Milliseconds = runs.Milliseconds.Append(milliseconds).ToArray() };
    }
}
