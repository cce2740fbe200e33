using System;
using System.Collections.Generic;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// Costs and accuracy of configs, each computed once (lowering the graph and planning its arena is the
/// hot path). Accuracy is predicted only for feasible configs: the predictor is never asked about others.
/// </summary>
internal sealed class CandidateEvaluator
{
    private readonly SupernetSpec _spec;
    private readonly IAccuracyPredictor _predictor;
    private readonly Budget _budget;
    private readonly LatencyModel? _latency;
    private readonly CostFilter? _filter;
    private readonly Dictionary<SubnetConfig, Candidate> _cache = new();

    public CandidateEvaluator(SupernetSpec spec, IAccuracyPredictor predictor, Budget budget, LatencyModel? latency, CostFilter? filter = null)
    {
        _spec = spec;
        _predictor = predictor;
        _budget = budget;
        _filter = filter;
        // A latency budget or objective without a device table uses the default throughput (marked as an estimate).
        _latency = latency ?? (budget.MaxLatencyMs is null && budget.Minimize != BudgetKey.MaxLatencyMs ? null : LatencyModel.Default);
    }

    /// <summary>Distinct configs whose costs were computed.</summary>
    public int Evaluated => _cache.Count;

    public CostFilter? Filter => _filter;

    public IEnumerable<Candidate> All => _cache.Values;

    public Candidate Evaluate(SubnetConfig config)
    {
        if (_cache.TryGetValue(config, out var known)) return known;
        var graph = GraphBuilder.Build(_spec, config);
        var cost = CostModel.Measure(graph);
        var latency = _latency?.Estimate(graph);
        var candidate = new Candidate(config, cost, latency, BudgetCheck.Violations(_budget, cost, latency), filtered: _filter is not null && !_filter.Admits(cost));
        _cache.Add(config, candidate);
        return candidate;
    }

    public double Accuracy(Candidate candidate)
    {
        if (!candidate.Feasible) throw new InvalidOperationException("Accuracy is only predicted for feasible configs.");
        return candidate.Accuracy ??= _predictor.Predict(candidate.Config);
    }

    /// <summary>
    /// The search's order, negative when a is better: higher accuracy, then fewer MACs, then the ordinal architecture
    /// string. With <see cref="Budget.Minimize"/>: configs reaching <see cref="Budget.MinAccuracy"/> first, among them the
    /// cheaper by that cost (then the same order); among the others the more accurate, so a search climbs toward the floor.
    /// </summary>
    public int Compare(Candidate a, Candidate b)
    {
        int c;
        if (_budget.Minimize is { } objective && _budget.MinAccuracy is double floor)
        {
            bool aReaches = Accuracy(a) >= floor, bReaches = Accuracy(b) >= floor;
            if (aReaches != bReaches) return aReaches ? -1 : 1;
            if (aReaches)
            {
                c = Cost(a, objective).CompareTo(Cost(b, objective));
                if (c != 0) return c;
            }
        }
        c = Accuracy(b).CompareTo(Accuracy(a));
        if (c != 0) return c;
        c = a.Cost.Macs.CompareTo(b.Cost.Macs);
        return c != 0 ? c : a.Config.CompareTo(b.Config);
    }

    private static double Cost(Candidate candidate, BudgetKey objective) =>
        objective.ValueOf(candidate.Cost, candidate.Latency)
        ?? throw new InvalidOperationException($"No {objective.Bounds} was computed for {candidate.Config}.");
}
