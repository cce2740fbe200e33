using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>The diagnostics of a search that finds nothing: they name the closest subnet and what to change.</summary>
internal static class SearchFailure
{
    /// <param name="filter">The caller's filter, if any: a closest subnet it rejects is said to fail it (it has no limit to raise).</param>
    public static SubnetGenException NothingFits(SupernetSpec spec, IReadOnlyCollection<Candidate> evaluated, CostFilter? filter = null)
    {
        var closest = evaluated
            .OrderBy(c => c.TotalViolation)
            .ThenBy(c => c.Cost.Macs)
            .ThenBy(c => c.Config.ToString(), StringComparer.Ordinal)
            .First();
        var broken = closest.Violations.Select(v =>
        {
            double lowest = evaluated.Min(c => ValueOf(c, v.Key));
            return $"{v.Key.Name}: {Format(v.Value)} {v.Key.Unit} > budget {Format(v.Limit)} {v.Key.Unit} (lowest of any subnet evaluated: {Format(lowest)} {v.Key.Unit})";
        }).ToList();
        var changes = new List<string>();
        if (closest.Violations.Count > 0)
            changes.Add("Raise " + string.Join(" and ", closest.Violations.Select(v => $"{v.Key.Name} to at least {Format(RoundUp(v.Value))}")));
        if (closest.Filtered)
        {
            string required = filter?.Description ?? "the caller's filter";
            broken.Add(required);
            changes.Add((changes.Count == 0 ? "Loosen " : "loosen ") + required);
        }
        string fix = string.Join(" and ", changes) + " (what the closest subnet needs), or pick a smaller supernet or another target.";
        return new SubnetGenException(new Diagnostic(
            DiagnosticCodes.NoSubnetFitsBudget,
            string.Format(CultureInfo.InvariantCulture,
                "No subnet of the {0} supernet meets every budget{4} ({1} configs evaluated). Closest: {2}, which breaks {3}.",
                spec.Space.Family, evaluated.Count, closest.Config, string.Join("; ", broken), filter is null ? "" : " and " + filter.Description),
            Fix: fix));
    }

    public static SubnetGenException AccuracyTooLow(Candidate best, double accuracy, double minimum, int evaluated) => new(new Diagnostic(
        DiagnosticCodes.AccuracyBelowMinimum,
        string.Format(CultureInfo.InvariantCulture,
            "The most accurate subnet within the budgets, {0}, has predicted accuracy {1:0.####}, below {4} {2:0.####} ({3} configs evaluated).",
            best.Config, accuracy, minimum, evaluated, BudgetKey.MinAccuracy.Name),
        Fix: string.Format(CultureInfo.InvariantCulture,
            "Lower {1} to {0:0.####} or less, or raise the cost budgets so that larger subnets fit.", Math.Floor(accuracy * 10000) / 10000, BudgetKey.MinAccuracy.Name)));

    // With a latency budget every config has an estimate; the 0 only stands in for the absent one of a search without.
    private static double ValueOf(Candidate c, BudgetKey key) => key.InKeyUnit(key.ValueOf(c.Cost, c.Latency) ?? 0);

    // Whole units suffice for sizes and counts; latency keeps two decimals, rounded up so the suggestion fits.
    private static double RoundUp(double value) => value >= 100 ? Math.Ceiling(value) : Math.Ceiling(value * 100) / 100;

    private static string Format(double value) =>
        value >= 100 ? value.ToString("#,0.#", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}
