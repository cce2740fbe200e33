using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;

namespace SubnetGen.Core.Space;

/// <summary>
/// The three subnets reports name: smallest, middle and largest of a design space. The trainer measures
/// their accuracy into <c>supernet.json</c>; <c>subnetgen evaluate</c> measures the generated C# model of
/// the same three, so both must agree on what "middle" is.
/// </summary>
public static class ReferenceSubnets
{
    public const string SmallestName = "smallest";
    public const string MiddleName = "middle";
    public const string LargestName = "largest";

    /// <summary>The names, smallest first.</summary>
    public static readonly IReadOnlyList<string> Names = new[] { SmallestName, MiddleName, LargestName };

    /// <summary>
    /// The middle config: every stage at the middle depth (<c>Depths[Count / 2]</c>), every block at the
    /// middle legal kernel of its stage and the middle expand ratio — or, in a coupled space, the expand
    /// ratio the middle depth couples to; in a space of elastic resolution, the middle resolution.
    /// </summary>
    public static SubnetConfig Middle(this DesignSpace space, int stageCount)
    {
        int d = space.Depths[space.Depths.Count / 2];
        return new SubnetConfig(Enumerable.Range(0, stageCount).Select(s =>
        {
            var kernels = space.KernelChoices(s);
            int k = kernels[kernels.Count / 2];
            int e = space.IsCoupled ? space.CoupledExpandByDepth![d] : space.ExpandRatios[space.ExpandRatios.Count / 2];
            return (IReadOnlyList<BlockConfig>)Enumerable.Repeat(new BlockConfig(k, e), d).ToArray();
        }).ToArray(), space.Resolutions?[space.Resolutions.Count / 2]);
    }

    /// <summary>The reference subnet called <paramref name="name"/> (ordinal, case-insensitive), or null for another name.</summary>
    public static SubnetConfig? ByName(SupernetSpec spec, string name)
    {
        int stages = spec.Stages.Count;
        switch (name.Trim().ToLowerInvariant())
        {
            case SmallestName: return spec.Space.Smallest(stages);
            case MiddleName: return spec.Space.Middle(stages);
            case LargestName: return spec.Space.Largest(stages);
            default: return null;
        }
    }
    /// <summary>
    /// A reference name (smallest, middle, largest) or a compact architecture, checked against <paramref name="spec"/>'s
    /// design space. Returns false with what is wrong (not an architecture, or not in the space).
    /// </summary>
    public static bool TryResolve(SupernetSpec spec, string text, out SubnetConfig? config, out string? error)
    {
        config = ByName(spec, text);
        error = null;
        if (config is not null) return true;
        if (!SubnetConfig.TryParse(text, out config, out string? parseError))
        {
            error = $"\"{text}\" is neither smallest, middle, largest nor an architecture: {parseError}";
            return false;
        }
        string? reason = null;
        if (config!.Stages.Count != spec.Stages.Count) reason = $"it has {config.Stages.Count} stage{(config.Stages.Count == 1 ? "" : "s")}, the supernet {spec.Stages.Count}";
        else spec.Space.Contains(config, out reason);
        if (reason is null) return true;
        error = $"\"{text}\" is not in the supernet's {FormatNames.Of(spec.Space.Family)} design space: {reason}.";
        config = null;
        return false;
    }

    /// <summary>The reference name of <paramref name="config"/>, or "custom".</summary>
    public static string NameOf(SupernetSpec spec, SubnetConfig config) =>
        Names.FirstOrDefault(n => ByName(spec, n)!.Equals(config)) ?? "custom";
}
