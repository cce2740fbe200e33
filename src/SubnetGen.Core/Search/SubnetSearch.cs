using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// Picks the most accurate subnet that meets every budget. Exhaustive when the space has at most
/// <see cref="SearchOptions.ExhaustiveLimit"/> configs (CompOFA: 243), else OFA's evolutionary search.
/// Ties break deterministically: higher predicted accuracy, then fewer MACs, then the ordinal architecture string.
/// </summary>
public static class SubnetSearch
{
    /// <param name="latency">Device latency model; null: latency is reported only when a latency budget asks for it (then from default throughput).</param>
    /// <exception cref="Diagnostics.SubnetGenException">SNG3001 when nothing fits, SNG3002 when the best is below <see cref="Budget.MinAccuracy"/>.</exception>
    public static SearchResult Run(SupernetSpec spec, IAccuracyPredictor predictor, Budget budget, LatencyModel? latency, SearchOptions options) =>
        Run(spec, predictor, budget, latency, options, filter: null);

    /// <summary>
    /// The same search, where a config must also pass <paramref name="filter"/> to be feasible: for a cost that is no
    /// budget key (<c>subnetgen bench-search</c> bounds MOOFA's analytical memory with it).
    /// </summary>
    /// <exception cref="Diagnostics.SubnetGenException">SNG3001 when nothing fits, SNG3002 when the best is below <see cref="Budget.MinAccuracy"/>.</exception>
    public static SearchResult Run(SupernetSpec spec, IAccuracyPredictor predictor, Budget budget, LatencyModel? latency, SearchOptions options, CostFilter? filter)
    {
        options.Validate();
        var evaluator = new CandidateEvaluator(spec, predictor, budget, latency, filter);
        int stages = spec.Stages.Count;
        var method = options.Method != SearchMethod.Auto ? options.Method
            : spec.Space.Count(stages) <= options.ExhaustiveLimit ? SearchMethod.Exhaustive : SearchMethod.Evolutionary;

        var best = method == SearchMethod.Exhaustive ? Exhaustive(spec, evaluator) : EvolutionarySearch.Run(spec, evaluator, options);
        double accuracy = evaluator.Accuracy(best);
        if (budget.MinAccuracy is double minimum && accuracy < minimum)
            throw SearchFailure.AccuracyTooLow(best, accuracy, minimum, evaluator.Evaluated);

        var feasible = evaluator.All.Where(c => c.Feasible).ToList();
        foreach (var c in feasible) evaluator.Accuracy(c); // cached: the searches already predicted nearly all of them
        return new SearchResult(
            best.Config, accuracy, best.Cost, best.Latency?.Milliseconds, best.Latency?.IsEstimate ?? false,
            evaluator.Evaluated, method,
            ParetoFront.Build(feasible, c => c.Cost.Macs),
            ParetoFront.Build(feasible, c => c.Cost.PeakMemoryBytes),
            ParetoFront.Build(feasible, c => c.Cost.WeightBytes),
            ParetoFront.Build(feasible.Where(c => c.Latency is not null), c => c.Latency!.Milliseconds));
    }

    private static Candidate Exhaustive(SupernetSpec spec, CandidateEvaluator evaluator)
    {
        Candidate? best = null;
        var all = new List<Candidate>();
        foreach (var config in spec.Space.Enumerate(spec.Stages.Count))
        {
            var candidate = evaluator.Evaluate(config);
            all.Add(candidate);
            if (candidate.Feasible && (best is null || evaluator.Compare(candidate, best) < 0)) best = candidate;
        }
        return best ?? throw SearchFailure.NothingFits(spec, all, evaluator.Filter);
    }
}
