namespace SubnetGen.Core.Diagnostics;

/// <summary>SNG3xxx: search, accuracy predictors and device latency tables (docs/errors/search.md).</summary>
public static partial class DiagnosticCodes
{
    /// <summary>No subnet of the design space meets every budget; the message names the closest one.</summary>
    public const string NoSubnetFitsBudget = "SNG3001";

    /// <summary>Subnets fit the cost budgets, but the best predicted accuracy is below <c>minAccuracy</c>.</summary>
    public const string AccuracyBelowMinimum = "SNG3002";

    /// <summary>A table predictor was asked about an architecture it has no entry for.</summary>
    public const string ArchitectureNotInPredictorTable = "SNG3003";

    /// <summary>An MLP predictor's layer shapes do not chain, do not match the architecture encoding, or hold non-finite values.</summary>
    public const string PredictorShapeMismatch = "SNG3004";

    /// <summary>The search options are out of range (population, ratios, generations).</summary>
    public const string InvalidSearchOptions = "SNG3005";

    /// <summary>Warning: the pick's predictor value met <c>minAccuracy</c>, but its held-out accuracy (the promise) is below it.</summary>
    public const string PromiseBelowMinimum = "SNG3006";

    /// <summary>A device latency table is not valid JSON.</summary>
    public const string LatencyTableUnreadable = "SNG3010";

    /// <summary>A device latency table has a formatVersion this SubnetGen does not know.</summary>
    public const string LatencyTableVersionUnknown = "SNG3011";

    /// <summary>A device latency table lacks a field, has a malformed layer key or a latency that is negative or not finite.</summary>
    public const string LatencyTableInvalid = "SNG3012";
}
