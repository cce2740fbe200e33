namespace SubnetGen.Core.Space;

/// <summary>
/// The design-space families SubnetGen supports. A family only decides which subnet configs are
/// legal (see <see cref="DesignSpace"/>); the network structure is the same data for all.
/// </summary>
public enum Family
{
    /// <summary>Once-For-All: per-block kernel and expand ratio, per-stage depth.</summary>
    Ofa = 0,
    /// <summary>CompOFA: per-stage depth, expand ratio coupled to depth, kernel fixed per stage.</summary>
    CompOfa = 1,
    /// <summary>Memory-optimised OFA: memory-balanced stage widths, OFA-style or coupled choices.</summary>
    MoOfa = 2,
}
