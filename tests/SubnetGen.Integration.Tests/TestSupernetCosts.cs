using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// Peak-memory range over every subnet of the test supernet (make-test-supernet builds
/// DefaultSupernets.FashionMnist(CompOfa)), so the tests choose budgets from the cost model instead of
/// copying numbers that would rot when the structure changes.
/// </summary>
public static class TestSupernetCosts
{
    public static (long SmallestPeakBytes, long LargestPeakBytes) PeakMemoryRange()
    {
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        var peaks = spec.Space.Enumerate(spec.Stages.Count)
            .Select(config => CostModel.Measure(GraphBuilder.Build(spec, config)).PeakMemoryBytes)
            .ToList();
        return (peaks.Min(), peaks.Max());
    }

    /// <summary>Whole KB at or above <paramref name="bytes"/>: a budget that admits it.</summary>
    public static long KilobytesAtLeast(long bytes) => (bytes + 1023) / 1024;
}
