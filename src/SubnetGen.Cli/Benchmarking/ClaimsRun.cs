using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Search;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>CompOFA's claim at one budget: OFA's evolutionary search against CompOFA's exhaustive one, each run <c>--repeat</c> times.</summary>
internal sealed record SpeedRow(BenchBudget Budget, TimedSearch Ofa, TimedSearch CompOfa);

/// <summary>MOOFA's claim at one memory budget: each family's pick, null where none fits, in <see cref="ClaimsRun.Families"/>' order.</summary>
internal sealed record MemoryRow(BenchBudget Budget, IReadOnlyList<SearchResult?> Picks)
{
    public bool AllFit => Picks.Count > 0 && Picks.All(p => p is not null);
}

/// <summary>Everything one <c>subnetgen bench-search</c> measured, for the report.</summary>
/// <param name="Families">OFA, CompOFA, MOOFA: the order of every table's columns.</param>
/// <param name="Setup">What was measured on what (packages, images, repetitions, machine), one line each.</param>
internal sealed record ClaimsRun(
    IReadOnlyList<BenchFamily> Families,
    IReadOnlyList<SpeedRow> Speed,
    IReadOnlyList<MemoryRow> Memory,
    PickCatalog Picks,
    IReadOnlyList<string> Setup);
