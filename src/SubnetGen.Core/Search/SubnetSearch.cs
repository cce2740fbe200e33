using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// Picks the most accurate subnet that meets every budget. Exhaustive when the space has at most
/// <see cref="SearchOptions.ExhaustiveLimit"/> configs (CompOFA: 243), else OFA's evolutionary search.
/// Ties break deterministically: higher predicted accuracy, then fewer MACs, then the ordinal architecture string.
/// With <see cref="SearchOptions.PredictorResolution"/>, configs predicted within it of the best count as tied and the
/// one with the most MACs is returned.
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
        if (options.PredictorResolution > 0 && budget.Minimize is null)
        {
            best = MostMacsWithin(spec, evaluator, best, accuracy - options.PredictorResolution, budget.MinAccuracy);
            accuracy = evaluator.Accuracy(best);
        }

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

    /// <summary>
    /// The config with the most MACs among the feasible ones predicted at least <paramref name="floor"/> (and
    /// <paramref name="minAccuracy"/>): a predictor maximised over many configs picks the ones whose errors run high
    /// (the winner's curse), and within its resolution the larger subnet is the better bet. The largest subnet is
    /// costed first, so an evolutionary search that never visited it can still return it.
    /// </summary>
    private static Candidate MostMacsWithin(SupernetSpec spec, CandidateEvaluator evaluator, Candidate best, double floor, double? minAccuracy)
    {
        evaluator.Evaluate(spec.Space.Largest(spec.Stages.Count));
        double threshold = Math.Max(floor, minAccuracy ?? double.NegativeInfinity);
        foreach (var c in evaluator.All)
            if (c.Feasible && evaluator.Accuracy(c) >= threshold && MoreMacsFirst(c, best) < 0) best = c;
        return best;

        int MoreMacsFirst(Candidate x, Candidate y)
        {
            int macs = y.Cost.Macs.CompareTo(x.Cost.Macs);
            return macs != 0 ? macs : evaluator.Compare(x, y);
        }
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
