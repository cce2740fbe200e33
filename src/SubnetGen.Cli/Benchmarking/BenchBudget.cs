using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>
/// One budget of <c>subnetgen bench-search</c>: the constraints.json cost budgets of a target, or MOOFA's analytical peak
/// memory (<see cref="SubnetCost.MoofaPeakElements"/>, no budget key: searched with a <see cref="CostFilter"/>).
/// <see cref="Label"/> is how the tables name it: <c>key=value</c> pairs in <see cref="BudgetKey.All"/>'s order.
/// </summary>
internal sealed record BenchBudget(string Label, Budget Budget, long? MaxMoofaElements)
{
    /// <summary>How the tables name the MOOFA-elements budget (there is no constraints.json key for it).</summary>
    public const string MoofaElementsName = "moofaElements";

    /// <summary>
    /// The constraints.json keys a benchmark budget may set: those that bound a cost. Latency only where the benchmark has
    /// a device table (<c>bench-promises --latency-table</c>): it is a device's, and without a table it would only be the
    /// default throughput model's guess.
    /// </summary>
    public static readonly IReadOnlyList<BudgetKey> Keys = BudgetKey.CostKeys;

    // Largest double below 2^63, so the cast to long cannot overflow (as the constraints reader).
    private const double MaxLongAsDouble = 9.2233720368547748E+18;

    public CostFilter? Filter => MaxMoofaElements is long elements
        ? new CostFilter(string.Create(CultureInfo.InvariantCulture, $"MOOFA peak memory ≤ {elements:#,0} elements"), cost => cost.MoofaPeakElements <= elements)
        : null;

    /// <summary>
    /// Whether a subnet of this cost and <paramref name="latency"/> meets the budget (what the search guarantees of its
    /// pick; the tests hold it to that). A latency bound admits nothing without an estimate.
    /// </summary>
    public bool Admits(SubnetCost cost, LatencyEstimate? latency = null) =>
        Keys.All(k => k.Limit(Budget) is not double limit || k.ValueOf(cost, latency) <= limit)
        && (MaxMoofaElements is not long elements || cost.MoofaPeakElements <= elements);

    /// <summary>
    /// Latency budgets from tight to loose for <paramref name="family"/> under its device table: a tenth, four tenths and
    /// seven tenths of the way from its smallest subnet's estimated latency to its largest's, and the largest's (nothing
    /// excluded). Rounded up to a microsecond.
    /// </summary>
    public static IReadOnlyList<BenchBudget> LatencyLevels(BenchFamily family)
    {
        var spec = family.Bundle.Spec;
        int stages = spec.Stages.Count;
        double Milliseconds(SubnetConfig config) =>
            family.EstimateLatency(GraphBuilder.Build(spec, config))?.Milliseconds
            ?? throw new InvalidOperationException("Latency levels need the benchmark's device table.");
        double small = Milliseconds(spec.Space.Smallest(stages)), large = Milliseconds(spec.Space.Largest(stages));
        return new[] { 0.1, 0.4, 0.7, 1.0 }
            .Select(f => Math.Ceiling((small + (large - small) * f) * 1000) / 1000)
            .Distinct()
            .Select(ms => Parse(BudgetKey.MaxLatencyMs.Name + "=" + ms.ToString("R", CultureInfo.InvariantCulture), "--latency-table", latency: true))
            .ToList();
    }

    public static BenchBudget PeakMemoryKilobytes(double kilobytes) =>
        Parse(BudgetKey.MaxPeakMemoryKB.Name + "=" + kilobytes.ToString("R", CultureInfo.InvariantCulture), "--memory-kb");

    /// <exception cref="SubnetGenException">SNG1040 when <paramref name="elements"/> is not positive.</exception>
    public static BenchBudget MoofaElements(long elements)
    {
        string label = MoofaElementsName + "=" + elements.ToString(CultureInfo.InvariantCulture);
        if (elements <= 0)
            throw Error(DiagnosticCodes.ConstraintsBudgetNotPositive, "--memory-elements", label, "a budget must be positive", "write a positive number of elements.");
        return new BenchBudget(label, Budget.Unconstrained, elements);
    }

    /// <summary>
    /// <c>key=value[,key=value…]</c> with constraints.json's cost budget keys and units (KB = 1024 bytes), e.g.
    /// <c>maxPeakMemoryKB=250,maxMacs=8000000</c>. A wrong key or value is the SNG1xxx error constraints.json would get.
    /// </summary>
    /// <param name="latency">Whether this benchmark has a device latency table; without one a latency budget is refused.</param>
    /// <exception cref="SubnetGenException">SNG1004 (no such key, a pair without '=', or a latency budget without a table), SNG1005 (a key twice), SNG1006 (not a number), SNG1040 (not positive), SNG1041 (MACs or parameters not whole).</exception>
    public static BenchBudget Parse(string text, string option, bool latency = false)
    {
        var values = new Dictionary<BudgetKey, double>();
        foreach (string pair in text.Split(','))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = (equals < 0 ? pair : pair.Substring(0, equals)).Trim();
            var key = Keys.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));
            if (equals < 0 || key is null)
                throw Error(DiagnosticCodes.ConstraintsUnknownKey, option, text, $"\"{name}\" is not a cost budget key", "write key=value pairs separated by commas with the keys " + KeyList() + ", e.g. maxPeakMemoryKB=250,maxMacs=8000000.");
            if (key.Measure == BudgetMeasure.Latency && !latency)
                throw Error(DiagnosticCodes.ConstraintsUnknownKey, option, text, $"{key.Name} needs a device latency table, which this benchmark does not take",
                    "bound latency in `subnetgen bench-promises --latency-table <file>` (a `subnetgen profile` table), or use the other keys: " + KeyList(latency: false) + ".");
            string value = pair.Substring(equals + 1).Trim();
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
                throw Error(DiagnosticCodes.ConstraintsWrongType, option, text, $"{key.Name} is \"{value}\", not a number", $"write a number in {key.Unit}, e.g. {key.Name}=250.");
            if (number <= 0)
                throw Error(DiagnosticCodes.ConstraintsBudgetNotPositive, option, text, $"{key.Name} is {value}; a budget must be positive", $"write a positive number of {key.Unit}.");
            bool counts = key.Measure is BudgetMeasure.Macs or BudgetMeasure.Parameters, bytes = key.Measure is BudgetMeasure.PeakMemory or BudgetMeasure.Weights;
            if (counts && number != Math.Floor(number))
                throw Error(DiagnosticCodes.ConstraintsBudgetNotInteger, option, text, $"{key.Name} must be a whole number, but it is {value}", $"write a whole number, e.g. {key.Name}={Math.Max(1, Math.Floor(number)).ToString("R", CultureInfo.InvariantCulture)}.");
            if (bytes && key.FromKeyUnit(number) < 1)
                throw Error(DiagnosticCodes.ConstraintsBudgetOutOfRange, option, text, $"{key.Name} is {value} {key.Unit}, less than one byte", $"write the budget in {key.Unit} (1024 bytes), e.g. {key.Name}=0.5 for 512 bytes.");
            if (key.FromKeyUnit(number) > MaxLongAsDouble)
                throw Error(DiagnosticCodes.ConstraintsBudgetOutOfRange, option, text, $"{key.Name} is {value}, too large to represent", $"write a budget below 2^63 {(key.Scale == 1 ? key.Unit : "bytes")}.");
            if (!values.TryAdd(key, number))
                throw Error(DiagnosticCodes.ConstraintsDuplicateKey, option, text, $"{key.Name} appears twice", "write each key once.");
        }

        double? Value(BudgetKey key) => values.TryGetValue(key, out double v) ? v : null;
        // KB budgets are maxima: whole bytes, rounded down, as the constraints reader does.
        long? Bytes(BudgetKey key) => Value(key) is double kb ? (long)Math.Floor(key.FromKeyUnit(kb)) : null;
        var budget = new Budget(
            MaxLatencyMs: Value(BudgetKey.MaxLatencyMs),
            MaxPeakMemoryBytes: Bytes(BudgetKey.MaxPeakMemoryKB),
            MaxWeightBytes: Bytes(BudgetKey.MaxWeightsKB),
            MaxMacs: Value(BudgetKey.MaxMacs) is double macs ? (long)macs : null,
            MaxParameters: Value(BudgetKey.MaxParameters) is double parameters ? (long)parameters : null);
        string label = string.Join(",", Keys.Where(values.ContainsKey)
            .Select(k => k.Name + "=" + values[k].ToString("R", CultureInfo.InvariantCulture)));
        return new BenchBudget(label, budget, null);
    }

    public static string KeyList(bool latency = true) => string.Join(", ", Keys.Where(k => latency || k.Measure != BudgetMeasure.Latency).Select(k => k.Name));

    private static SubnetGenException Error(string code, string option, string text, string problem, string fix) =>
        new(new Diagnostic(code, $"{option} \"{text}\": {problem}.", Fix: fix));
}
