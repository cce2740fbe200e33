namespace SubnetGen.Core.Cost;

/// <summary>
/// What one subnet costs to run, computed from its lowered graph.
/// <see cref="PeakMemoryBytes"/> is the arena of <see cref="Arena"/>, exactly the buffer the generated code allocates;
/// <see cref="WeightBytes"/> is the size of the shipped weights file (alignment padding included).
/// </summary>
public sealed record SubnetCost(
    long Macs,
    long Parameters,
    long WeightBytes,
    long PeakMemoryBytes,
    long MoofaPeakElements,
    ArenaPlan Arena);
