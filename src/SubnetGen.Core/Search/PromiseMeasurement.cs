using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// What a supernet's <c>promise.json</c> holds, measured on held-out images by whatever runs the subnets — the trainer's
/// TorchSharp supernet (<c>subnetgen-train promise</c>) or the generated C# models (<c>subnetgen promise</c>); the caller
/// passes <c>correct</c>, one config's right answers on those images. A table supernet (CompOFA, MOOFA) gets every
/// config's count; a fitted predictor (OFA: 10¹⁹ configs) gets its bias on what the search picks — the configs it rates
/// highest — under <see cref="CorrectionBudgets"/>. The search keeps ranking by the predictor, so the images that
/// select a config never estimate it (docs/search.md, "Honest promises").
/// </summary>
public static class PromiseMeasurement
{
    /// <summary>One config measured: how many of how many are done, the config, the predictor's value for it and its right answers.</summary>
    public delegate void Progress(int done, int total, SubnetConfig config, double predicted, int correct);

    /// <summary>
    /// The promise <paramref name="bundle"/>'s predictor calls for: every config's count for a table, else the fitted
    /// predictor's correction. <paramref name="how"/> says in the log how each config is scored (e.g. "generated, compiled and run").
    /// <paramref name="planned"/>, when given, hears every config <paramref name="correct"/> will be asked for, in that
    /// order, before the first: a caller with several cores can start on them ahead.
    /// </summary>
    public static PromiseFile Measure(SupernetBundle bundle, int images, string split, Func<SubnetConfig, int> correct, string how,
        Action<string> log, Progress? progress = null, Action<IReadOnlyList<SubnetConfig>>? planned = null)
    {
        var spec = bundle.Spec;
        string name = bundle.Manifest.Id + " " + bundle.Manifest.Version;
        if (bundle.Predictor.Kind == PredictorFile.TableKind && bundle.Predictor.Entries is { } table)
        {
            log($"{name}: {table.Count} configs, each {how} on {images} held-out images ({split})");
            planned?.Invoke(table.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(SubnetConfig.Parse).ToList());
            return Table(table, images, split, correct, progress);
        }
        var picks = CorrectionPicks(spec, bundle.Predictor.CreatePredictor(spec), bundle.Predictor.SearchOptions);
        log($"{name}: {picks.Count} distinct picks of the search under {CorrectionBudgets(spec).Count} budgets, each {how} on {images} held-out images ({split})");
        planned?.Invoke(picks.Select(p => p.Config).ToList());
        var promise = Correction(picks, images, split, correct, progress);
        log(Describe(promise.Correction!, images));
        return promise;
    }

    /// <summary>Every config of <paramref name="table"/> (ordinal order of its key), counted on the <paramref name="images"/> held-out images.</summary>
    public static PromiseFile Table(IReadOnlyDictionary<string, double> table, int images, string split, Func<SubnetConfig, int> correct, Progress? progress = null)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (string architecture in table.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var config = SubnetConfig.Parse(architecture);
            int right = correct(config);
            if (right < 0 || right > images)
                throw new InvalidOperationException($"{architecture}: {right} right answers out of {images} images.");
            counts[architecture] = right;
            progress?.Invoke(counts.Count, table.Count, config, table[architecture], right);
        }
        return new PromiseFile(images, split, counts);
    }

    /// <summary>The distinct picks of the search (as a build runs it: <paramref name="options"/>) under <see cref="CorrectionBudgets"/>, in budget order, with the predictor's value for each.</summary>
    public static IReadOnlyList<(SubnetConfig Config, double Predicted)> CorrectionPicks(SupernetSpec spec, IAccuracyPredictor predictor, SearchOptions options)
    {
        var picks = new List<(SubnetConfig Config, double Predicted)>();
        foreach (var budget in CorrectionBudgets(spec))
        {
            try
            {
                var result = SubnetSearch.Run(spec, predictor, budget, null, options);
                if (!picks.Any(p => p.Config.Equals(result.Config))) picks.Add((result.Config, result.PredictedAccuracy));
            }
            catch (SubnetGenException e) when (e.Diagnostic.Code == DiagnosticCodes.NoSubnetFitsBudget) { }
        }
        return picks;
    }

    /// <summary>
    /// The predictor's bias on <paramref name="picks"/>: the mean of (predicted − measured) on the held-out images is the
    /// correction a build subtracts, their standard deviation its interval.
    /// </summary>
    /// <exception cref="InvalidOperationException">Fewer than two picks: no spread to state.</exception>
    public static PromiseFile Correction(IReadOnlyList<(SubnetConfig Config, double Predicted)> picks, int images, string split,
        Func<SubnetConfig, int> correct, Progress? progress = null)
    {
        if (picks.Count < 2) throw new InvalidOperationException($"The search found {picks.Count} distinct pick(s); a correction needs at least two.");
        var errors = new List<double>();
        foreach (var (config, predicted) in picks)
        {
            int right = correct(config);
            errors.Add(predicted - (double)right / images);
            progress?.Invoke(errors.Count, picks.Count, config, predicted, right);
        }
        double offset = errors.Average();
        double sd = Math.Sqrt(errors.Sum(e => (e - offset) * (e - offset)) / (errors.Count - 1));
        return new PromiseFile(images, split, new SortedDictionary<string, int>(StringComparer.Ordinal), new PromiseCorrection(offset, sd, errors.Count));
    }

    /// <summary>What a correction measured on <paramref name="images"/> held-out images means for builds, as one line for the log.</summary>
    public static string Describe(PromiseCorrection correction, int images) => FormattableString.Invariant(
        $"The predictor overestimates its picks by {correction.Offset * 100:+0.00;-0.00} points on average (standard deviation {correction.StandardDeviation * 100:0.00} over {correction.Subnets} picks, {images} images): builds promise predicted − {correction.Offset * 100:0.00} ± {AccuracyPromise.CorrectionHalfWidth(DescribedAccuracy, correction.StandardDeviation, correction.Subnets, images) * 100:0.00} points (95 %, at {DescribedAccuracy * 100:0} %).");

    private const double DescribedAccuracy = 0.92;

    /// <summary>
    /// Budgets from the smallest subnet's cost to the largest's: 12 MAC levels, 6 peak-memory and 6 weight levels, and none,
    /// so the picks span what builds ask for.
    /// </summary>
    public static IReadOnlyList<Budget> CorrectionBudgets(SupernetSpec spec)
    {
        int stages = spec.Stages.Count;
        var small = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Smallest(stages)));
        var large = CostModel.Measure(GraphBuilder.Build(spec, spec.Space.Largest(stages)));
        static IEnumerable<long> Levels(long from, long to, int count) =>
            Enumerable.Range(1, count).Select(i => from + (to - from) * i / count);
        var budgets = new List<Budget> { Budget.Unconstrained };
        budgets.AddRange(Levels(small.Macs, large.Macs, 12).Select(m => new Budget(MaxMacs: m)));
        budgets.AddRange(Levels(small.PeakMemoryBytes, large.PeakMemoryBytes, 6).Select(b => new Budget(MaxPeakMemoryBytes: b)));
        budgets.AddRange(Levels(small.WeightBytes, large.WeightBytes, 6).Select(b => new Budget(MaxWeightBytes: b)));
        return budgets;
    }
}
