using System;
using System.Collections.Generic;
using System.Linq;

namespace SubnetGen.Core.Space;

/// <summary>
/// Which subnet configs are legal in a supernet. A family is data, not a class hierarchy:
/// OFA lets every block choose kernel and expand ratio; CompOFA couples the expand ratio to the
/// stage depth (<see cref="CoupledExpandByDepth"/>) and fixes the kernel per stage (<see cref="FixedKernels"/>).
/// </summary>
public sealed class DesignSpace : IEquatable<DesignSpace>
{
    public DesignSpace(
        Family family,
        IReadOnlyList<int> kernelSizes,
        IReadOnlyList<int> expandRatios,
        IReadOnlyList<int> depths,
        IReadOnlyDictionary<int, int>? coupledExpandByDepth = null,
        IReadOnlyList<int>? fixedKernels = null,
        IReadOnlyList<int>? resolutions = null)
    {
        Family = family;
        KernelSizes = kernelSizes.OrderBy(k => k).ToArray();
        ExpandRatios = expandRatios.OrderBy(e => e).ToArray();
        Depths = depths.OrderBy(d => d).ToArray();
        CoupledExpandByDepth = coupledExpandByDepth is null
            ? null
            : new SortedDictionary<int, int>(coupledExpandByDepth.ToDictionary(p => p.Key, p => p.Value));
        FixedKernels = fixedKernels?.ToArray();
        Resolutions = resolutions is { Count: > 1 } ? resolutions.Distinct().OrderBy(r => r).ToArray() : null;
    }

    public Family Family { get; }
    /// <summary>Kernel sizes a block may use, ascending (the supernet stores the largest).</summary>
    public IReadOnlyList<int> KernelSizes { get; }
    /// <summary>Expand ratios a block may use, ascending (the supernet stores the largest).</summary>
    public IReadOnlyList<int> ExpandRatios { get; }
    /// <summary>Depths a stage may use, ascending.</summary>
    public IReadOnlyList<int> Depths { get; }
    /// <summary>Compound coupling depth → expand ratio for every block of the stage (CompOFA), or null.</summary>
    public IReadOnlyDictionary<int, int>? CoupledExpandByDepth { get; }
    /// <summary>Kernel size per stage when kernels are not elastic (CompOFA), or null.</summary>
    public IReadOnlyList<int>? FixedKernels { get; }
    /// <summary>
    /// Input resolutions a subnet may run at, ascending (the input's shorter side in pixels, the largest the training
    /// size), as OFA's elastic resolution; null when there is one (the supernet's input size) and configs carry none.
    /// </summary>
    public IReadOnlyList<int>? Resolutions { get; }
    public bool IsResolutionElastic => Resolutions is not null;

    /// <summary>This space with elastic resolution over <paramref name="resolutions"/> (one value or none: not elastic).</summary>
    public DesignSpace WithResolutions(IReadOnlyList<int>? resolutions) =>
        new(Family, KernelSizes, ExpandRatios, Depths, CoupledExpandByDepth, FixedKernels, resolutions);

    public int MaxKernelSize => KernelSizes[KernelSizes.Count - 1];
    public int MaxExpandRatio => ExpandRatios[ExpandRatios.Count - 1];
    public int MaxDepth => Depths[Depths.Count - 1];
    public bool IsCoupled => CoupledExpandByDepth is not null;

    /// <summary>The OFA design space: kernel {3,5,7}, expand {3,4,6}, depth {2,3,4}.</summary>
    public static DesignSpace Ofa() => new(Family.Ofa, new[] { 3, 5, 7 }, new[] { 3, 4, 6 }, new[] { 2, 3, 4 });

    /// <summary>CompOFA: depth d with every block's expand = {2:3, 3:4, 4:6}[d], kernel fixed per stage.</summary>
    public static DesignSpace CompOfa(IReadOnlyList<int> fixedKernels) => new(
        Family.CompOfa, new[] { 3, 5, 7 }, new[] { 3, 4, 6 }, new[] { 2, 3, 4 },
        new Dictionary<int, int> { [2] = 3, [3] = 4, [4] = 6 }, fixedKernels);

    /// <summary>MOOFA: memory-balanced widths (in the supernet spec), expand {2,3,4}, compound-coupled like CompOFA.</summary>
    public static DesignSpace MoOfa(IReadOnlyList<int> fixedKernels) => new(
        Family.MoOfa, new[] { 3, 5, 7 }, new[] { 2, 3, 4 }, new[] { 2, 3, 4 },
        new Dictionary<int, int> { [2] = 2, [3] = 3, [4] = 4 }, fixedKernels);

    /// <summary>Kernel sizes legal for blocks of stage <paramref name="stage"/>.</summary>
    public IReadOnlyList<int> KernelChoices(int stage) =>
        FixedKernels is null ? KernelSizes : new[] { FixedKernels[stage] };

    /// <summary>Number of distinct configs for a supernet with <paramref name="stageCount"/> stages (saturates at long.MaxValue).</summary>
    public long Count(int stageCount)
    {
        long total = Resolutions?.Count ?? 1;
        for (int s = 0; s < stageCount; s++)
        {
            long perStage = 0;
            foreach (int d in Depths)
            {
                long perBlock = KernelChoices(s).Count * (IsCoupled ? 1L : ExpandRatios.Count);
                long blocks = 1;
                for (int b = 0; b < d; b++) blocks = SaturatingMultiply(blocks, perBlock);
                perStage = perStage > long.MaxValue - blocks ? long.MaxValue : perStage + blocks;
            }
            total = SaturatingMultiply(total, perStage);
        }
        return total;
    }

    /// <summary>
    /// <see cref="Count"/> in floating point, for showing sizes beyond long (OFA with 5 stages has about
    /// 2.2·10¹⁹ subnets): exact while under 2⁵³.
    /// </summary>
    public double ApproximateCount(int stageCount)
    {
        double total = Resolutions?.Count ?? 1;
        for (int s = 0; s < stageCount; s++)
        {
            double perStage = 0;
            foreach (int d in Depths)
                perStage += Math.Pow(KernelChoices(s).Count * (IsCoupled ? 1 : ExpandRatios.Count), d);
            total *= perStage;
        }
        return total;
    }

    /// <summary>"243" or, beyond long, "2.18e+19" (invariant culture).</summary>
    public string CountText(int stageCount)
    {
        long count = Count(stageCount);
        return count < long.MaxValue
            ? count.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)
            : ApproximateCount(stageCount).ToString("0.00e+00", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Is <paramref name="config"/> a member of this space? Returns the reason when it is not.</summary>
    public bool Contains(SubnetConfig config, out string? reason)
    {
        reason = null;
        if (Resolutions is null ? config.Resolution is not null : config.Resolution is not int r || !Resolutions.Contains(r))
        {
            reason = Resolutions is null
                ? $"it names resolution {config.Resolution}, but the supernet's resolution is not elastic"
                : $"its resolution is {(config.Resolution is int given ? given.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing")}; allowed: {string.Join(", ", Resolutions)} (@<pixels>)";
            return false;
        }
        if (config.Stages.Count != (FixedKernels?.Count ?? config.Stages.Count))
        {
            reason = $"expected {FixedKernels!.Count} stages, got {config.Stages.Count}";
            return false;
        }
        for (int s = 0; s < config.Stages.Count; s++)
        {
            var blocks = config.Stages[s];
            if (!Depths.Contains(blocks.Count))
            {
                reason = $"stage {s + 1} has depth {blocks.Count}; allowed: {string.Join(", ", Depths)}";
                return false;
            }
            foreach (var block in blocks)
            {
                if (!KernelChoices(s).Contains(block.KernelSize))
                {
                    reason = $"stage {s + 1} uses kernel {block.KernelSize}; allowed: {string.Join(", ", KernelChoices(s))}";
                    return false;
                }
                int expected = IsCoupled ? CoupledExpandByDepth![blocks.Count] : -1;
                if (IsCoupled ? block.ExpandRatio != expected : !ExpandRatios.Contains(block.ExpandRatio))
                {
                    reason = IsCoupled
                        ? $"stage {s + 1} has depth {blocks.Count}, which couples to expand ratio {expected}, not {block.ExpandRatio}"
                        : $"stage {s + 1} uses expand ratio {block.ExpandRatio}; allowed: {string.Join(", ", ExpandRatios)}";
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>
    /// Every config of the space in a fixed order (the resolution varies slowest, then stage 1). Only call when
    /// <see cref="Count"/> is small.
    /// </summary>
    public IEnumerable<SubnetConfig> Enumerate(int stageCount)
    {
        var perStage = Enumerable.Range(0, stageCount).Select(StageChoices).ToArray();
        foreach (int? resolution in Resolutions?.Select(r => (int?)r) ?? new int?[] { null })
        {
            var index = new int[stageCount];
            while (true)
            {
                yield return new SubnetConfig(Enumerable.Range(0, stageCount).Select(s => perStage[s][index[s]]).ToArray(), resolution);
                int i = stageCount - 1;
                while (i >= 0 && ++index[i] == perStage[i].Count) { index[i] = 0; i--; }
                if (i < 0) break;
            }
        }
    }

    /// <summary>All block lists one stage may take, ordered by depth, then lexicographically.</summary>
    public IReadOnlyList<IReadOnlyList<BlockConfig>> StageChoices(int stage)
    {
        var result = new List<IReadOnlyList<BlockConfig>>();
        foreach (int d in Depths)
        {
            var blockChoices = IsCoupled
                ? KernelChoices(stage).Select(k => new BlockConfig(k, CoupledExpandByDepth![d])).ToArray()
                : KernelChoices(stage).SelectMany(k => ExpandRatios.Select(e => new BlockConfig(k, e))).ToArray();
            var idx = new int[d];
            while (true)
            {
                result.Add(idx.Select(i => blockChoices[i]).ToArray());
                int i2 = d - 1;
                while (i2 >= 0 && ++idx[i2] == blockChoices.Length) { idx[i2] = 0; i2--; }
                if (i2 < 0) break;
            }
        }
        return result;
    }

    /// <summary>The largest config: maximum depth, kernel and expand everywhere legal.</summary>
    public SubnetConfig Largest(int stageCount) => Extreme(stageCount, largest: true);

    /// <summary>The smallest config: minimum depth, kernel and expand everywhere legal.</summary>
    public SubnetConfig Smallest(int stageCount) => Extreme(stageCount, largest: false);

    private SubnetConfig Extreme(int stageCount, bool largest)
    {
        int d = largest ? MaxDepth : Depths[0];
        var stages = new List<IReadOnlyList<BlockConfig>>();
        for (int s = 0; s < stageCount; s++)
        {
            var kernels = KernelChoices(s);
            int k = largest ? kernels[kernels.Count - 1] : kernels[0];
            int e = IsCoupled ? CoupledExpandByDepth![d] : largest ? MaxExpandRatio : ExpandRatios[0];
            stages.Add(Enumerable.Repeat(new BlockConfig(k, e), d).ToArray());
        }
        return new SubnetConfig(stages, Resolutions is null ? null : largest ? Resolutions[Resolutions.Count - 1] : Resolutions[0]);
    }

    internal void Validate(int stageCount)
    {
        if (KernelSizes.Count == 0 || ExpandRatios.Count == 0 || Depths.Count == 0)
            throw new ArgumentException("A design space needs kernel sizes, expand ratios and depths.");
        if (KernelSizes.Any(k => k < 1 || k % 2 == 0)) throw new ArgumentException("Kernel sizes must be odd and positive.");
        if (FixedKernels is not null && FixedKernels.Count != stageCount)
            throw new ArgumentException($"fixedKernels needs one entry per stage ({stageCount}).");
        if (CoupledExpandByDepth is not null && Depths.Any(d => !CoupledExpandByDepth.ContainsKey(d)))
            throw new ArgumentException("coupledExpandByDepth needs an entry for every depth.");
        if (Resolutions is not null && Resolutions.Any(r => r <= 0)) throw new ArgumentException("Resolutions must be positive.");
    }

    private static long SaturatingMultiply(long a, long b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b;

    public bool Equals(DesignSpace? other) =>
        other is not null && Family == other.Family &&
        KernelSizes.SequenceEqual(other.KernelSizes) && ExpandRatios.SequenceEqual(other.ExpandRatios) &&
        Depths.SequenceEqual(other.Depths) &&
        (CoupledExpandByDepth?.SequenceEqual(other.CoupledExpandByDepth ?? new Dictionary<int, int>()) ?? other.CoupledExpandByDepth is null) &&
        (FixedKernels?.SequenceEqual(other.FixedKernels ?? Array.Empty<int>()) ?? other.FixedKernels is null) &&
        (Resolutions?.SequenceEqual(other.Resolutions ?? Array.Empty<int>()) ?? other.Resolutions is null);

    public override bool Equals(object? obj) => Equals(obj as DesignSpace);
    public override int GetHashCode() => (int)Family * 31 + KernelSizes.Count * 7 + Depths.Count;
}
