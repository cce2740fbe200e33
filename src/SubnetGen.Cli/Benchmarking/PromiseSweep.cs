using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>A subnet that fits a budget, measured on the test set: a reference the pick should not fall short of.</summary>
internal sealed record ReferenceSubnet(string Kind, SubnetConfig Config, TestMeasurement Test);

/// <summary>
/// One (family, budget) of the sweep. <see cref="Reference"/> is the best of <see cref="References"/> on the even test
/// images; <see cref="Shortfall"/> is the reference's accuracy minus the pick's on the odd ones (positive: the pick is
/// beaten), with the paired standard error of that difference. Choosing and comparing on disjoint halves keeps the
/// maximum over references from flattering them.
/// </summary>
internal sealed record PromiseRow(
    BenchFamily Family, BenchBudget Budget, SearchResult? Pick, TestMeasurement? Test,
    IReadOnlyList<ReferenceSubnet> References, ReferenceSubnet? Reference, double Shortfall, double ShortfallError)
{
    public double Promised => Pick!.PromisedAccuracy;
    /// <summary>Test accuracy minus the promise: negative when the promise was too high.</summary>
    public double Error => Test!.Result.Accuracy - Promised;
    public bool? Covered => Pick?.Promise is { } p ? p.Lower <= Test!.Result.Accuracy && Test.Result.Accuracy <= p.Upper : null;
}

/// <summary>One budget's pick (null: nothing fits) and references, before anything runs on the test images.</summary>
internal sealed record SweepPlan(BenchBudget Budget, SearchResult? Pick, IReadOnlyList<(string Kind, SubnetConfig Config)> References)
{
    /// <summary>Every config the row will run: the pick and its references.</summary>
    public IEnumerable<SubnetConfig> Configs => Pick is null ? Enumerable.Empty<SubnetConfig>() : References.Select(r => r.Config).Prepend(Pick.Config);
}

/// <summary>The sweep: each family searched as a build searches it under each budget, its promise held against the test set.</summary>
internal static class PromiseSweep
{
    /// <summary>The kind of a reference that is neither the largest nor the best held out (<c>--every-config</c>).</summary>
    public const string AnyFittingConfig = "a config that fits";

    /// <summary>Random configs drawn (seeded) as references in spaces too large to enumerate (OFA).</summary>
    public const int SampledReferences = 1000;

    /// <summary>The build's pick under <paramref name="budget"/> (with its promise applied) and the references that fit: what a row runs.</summary>
    public static SweepPlan Plan(BenchFamily family, BenchBudget budget, bool everyConfig = false)
    {
        var pick = family.Search(budget);
        if (pick is null) return new SweepPlan(budget, null, Array.Empty<(string, SubnetConfig)>());
        if (family.Bundle.Promise is { } promises) pick = promises.Apply(pick);
        return new SweepPlan(budget, pick, References(family, budget, everyConfig));
    }

    public static PromiseRow Run(BenchFamily family, SweepPlan plan, TestAccuracies tests, TextWriter log)
    {
        var (budget, pick) = (plan.Budget, plan.Pick);
        if (pick is null) return new PromiseRow(family, budget, null, null, Array.Empty<ReferenceSubnet>(), null, 0, 0);
        log.WriteLine($"{family.Name} {budget.Label}: pick {pick.Config}; measuring it and the references on {tests.Images:#,0} test images…");
        var test = tests.Of(family, pick.Config);
        var references = plan.References.Select(r => new ReferenceSubnet(r.Kind, r.Config, tests.Of(family, r.Config))).ToList();

        var best = references.OrderByDescending(r => Half(r.Test.Hits, even: true)).ThenBy(r => r.Config.ToString(), StringComparer.Ordinal).FirstOrDefault();
        var (shortfall, error) = best is null ? (0d, 0d) : PairedDifference(best.Test.Hits, test.Hits);
        return new PromiseRow(family, budget, pick, test, references, best, shortfall, error);
    }

    /// <summary>
    /// Subnets that fit: the one with the most MACs and, where the supernet ships held-out accuracies, the one with the best
    /// of them; with <paramref name="everyConfig"/>, every other config of a table space that fits too. Table spaces are
    /// enumerated; larger ones (OFA) offer their largest subnet and <see cref="SampledReferences"/> seeded draws.
    /// </summary>
    public static IReadOnlyList<(string Kind, SubnetConfig Config)> References(BenchFamily family, BenchBudget budget, bool everyConfig = false)
    {
        var spec = family.Bundle.Spec;
        int stages = spec.Stages.Count;
        bool enumerable = spec.Space.Count(stages) <= SearchOptions.Default.ExhaustiveLimit;
        IEnumerable<SubnetConfig> pool = enumerable ? spec.Space.Enumerate(stages) : Sampled(spec, stages);
        var fitting = pool.Distinct().Select(c => (Config: c, Graph: GraphBuilder.Build(spec, c)))
            .Select(c => (c.Config, Cost: CostModel.Measure(c.Graph), Latency: family.EstimateLatency(c.Graph)))
            .Where(c => budget.Admits(c.Cost, c.Latency)).ToList();
        var result = new List<(string, SubnetConfig)>();
        if (fitting.Count == 0) return result;
        result.Add(("largest that fits", fitting.OrderByDescending(c => c.Cost.Macs).ThenBy(c => c.Config.ToString(), StringComparer.Ordinal).First().Config));
        if (family.Bundle.Promise is { Correction: null } promises)
        {
            var heldOut = fitting.Where(c => promises.Correct.ContainsKey(c.Config.ToString()))
                .OrderByDescending(c => promises.Correct[c.Config.ToString()]).ThenBy(c => c.Config.ToString(), StringComparer.Ordinal).FirstOrDefault();
            if (heldOut.Config is not null && !heldOut.Config.Equals(result[0].Item2)) result.Add(("best held out", heldOut.Config));
        }
        if (everyConfig && enumerable)
            foreach (var (config, _, _) in fitting.OrderBy(c => c.Config.ToString(), StringComparer.Ordinal))
                if (!result.Any(r => r.Item2.Equals(config))) result.Add((AnyFittingConfig, config));
        return result;
    }

    private static IEnumerable<SubnetConfig> Sampled(SupernetSpec spec, int stages)
    {
        var random = new Random(2026);
        yield return spec.Space.Largest(stages);
        for (int i = 0; i < SampledReferences; i++) yield return RandomSubnets.Sample(spec.Space, stages, random);
    }

    /// <summary>Accuracy on the even (or odd) images.</summary>
    public static double Half(bool[] hits, bool even)
    {
        int correct = 0, count = 0;
        for (int i = even ? 0 : 1; i < hits.Length; i += 2, count++) if (hits[i]) correct++;
        return count == 0 ? 0 : (double)correct / count;
    }

    /// <summary>Mean of a − b over the odd images, and its standard error (paired: the same images).</summary>
    public static (double Difference, double StandardError) PairedDifference(bool[] a, bool[] b)
    {
        double sum = 0, squares = 0;
        int n = 0;
        for (int i = 1; i < a.Length; i += 2, n++)
        {
            int d = (a[i] ? 1 : 0) - (b[i] ? 1 : 0);
            sum += d;
            squares += d * d;
        }
        if (n < 2) return (0, 0);
        double mean = sum / n, variance = (squares - n * mean * mean) / (n - 1);
        return (mean, Math.Sqrt(Math.Max(0, variance) / n));
    }
}
