namespace SubnetGen.Core.Search;

/// <summary>
/// What a target device allows. A null budget is unconstrained. Sizes are bytes (constraints.json
/// speaks KB = 1024 bytes; the reader converts). <see cref="Minimize"/> turns the search around: with
/// <see cref="MinAccuracy"/>, the cheapest subnet by that cost whose predicted accuracy reaches the floor,
/// instead of the most accurate one that fits.
/// </summary>
public sealed record Budget(
    double? MaxLatencyMs = null,
    long? MaxPeakMemoryBytes = null,
    long? MaxWeightBytes = null,
    long? MaxMacs = null,
    long? MaxParameters = null,
    double? MinAccuracy = null,
    BudgetKey? Minimize = null)
{
    public static readonly Budget Unconstrained = new();
}
