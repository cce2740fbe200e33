namespace SubnetGen.Core.Search;

/// <summary>
/// What a target device allows. A null budget is unconstrained. Sizes are bytes (constraints.json
/// speaks KB = 1024 bytes; the reader converts).
/// </summary>
public sealed record Budget(
    double? MaxLatencyMs = null,
    long? MaxPeakMemoryBytes = null,
    long? MaxWeightBytes = null,
    long? MaxMacs = null,
    long? MaxParameters = null,
    double? MinAccuracy = null)
{
    public static readonly Budget Unconstrained = new();
}
