using System.Collections.Generic;
using System.Linq;

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
    /// ratio the middle depth couples to.
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
        }).ToArray());
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
}
