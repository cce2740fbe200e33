using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;

namespace SubnetGen.Core.Constraints;

/// <summary>Reads one entry of a model's <c>targets</c> into a <see cref="TargetConstraints"/>: budgets in bytes, the latency table path resolved.</summary>
internal static class TargetReader
{
    // Largest double below 2^63, so the cast to long cannot overflow.
    private const double MaxLongAsDouble = 9.2233720368547748E+18;

    // Target names travel through -p:SubnetGenTarget=… and MSBuild item metadata; keep them plain.
    private static readonly Regex NamePattern = new("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant);

    /// <summary>The target, or null when it has errors (all of them reported).</summary>
    public static TargetConstraints? Read(JsonProperty entry, string modelPath, string? baseDirectory, DiagnosticSink sink)
    {
        string path = modelPath + "." + ConstraintKeys.Targets + "." + entry.Name;
        int errorsBefore = sink.ErrorCount;
        CheckName(entry, modelPath, sink);
        if (!ValueTypes.CheckObject(entry.Value, path, ConstraintKeys.TargetExample, sink)) return null;

        var keys = ObjectKeys.Known((JsonObjectNode)entry.Value, ConstraintKeys.Target, path, sink);
        var budget = new Budget(
            MaxLatencyMs: PositiveNumber(keys, BudgetKey.MaxLatencyMs.Name, path, sink),
            MaxPeakMemoryBytes: Bytes(keys, BudgetKey.MaxPeakMemoryKB, path, sink),
            MaxWeightBytes: Bytes(keys, BudgetKey.MaxWeightsKB, path, sink),
            MaxMacs: WholeNumber(keys, BudgetKey.MaxMacs.Name, path, sink),
            MaxParameters: WholeNumber(keys, BudgetKey.MaxParameters.Name, path, sink),
            MinAccuracy: Accuracy(keys, path, sink),
            Minimize: Objective(keys, path, sink));
        var (table, tablePath) = LatencyTable(keys, path, baseDirectory, sink);

        // A misspelt budget key is already an error; "no budget" on top of it would only be noise.
        if (sink.ErrorCount != errorsBefore) return null;
        Warn(entry, keys, path, sink);
        return new TargetConstraints(entry.Name, budget, table, tablePath);
    }

    private static void Warn(JsonProperty entry, IReadOnlyDictionary<string, JsonProperty> keys, string path, DiagnosticSink sink)
    {
        if (!BudgetKey.All.Any(k => keys.ContainsKey(k.Name)))
        {
            sink.Warning(DiagnosticCodes.ConstraintsTargetWithoutBudget, entry.NameOffset,
                $"Target \"{entry.Name}\" ({path}) sets no budget: the search picks the most accurate subnet whatever its latency, memory or size.",
                $"add at least one budget, e.g. \"{entry.Name}\": {ConstraintKeys.TargetExample}.");
        }
        else if (keys.TryGetValue(ConstraintKeys.LatencyTable, out var tableKey) && !keys.ContainsKey(BudgetKey.MaxLatencyMs.Name))
        {
            sink.Warning(DiagnosticCodes.ConstraintsLatencyTableWithoutMaxLatency, tableKey.NameOffset,
                $"Target \"{entry.Name}\" has a latencyTable but no {BudgetKey.MaxLatencyMs.Name}, so the table limits nothing.",
                $"add \"{BudgetKey.MaxLatencyMs.Name}\": <milliseconds> to the target, or remove \"latencyTable\".");
        }
    }

    private static void CheckName(JsonProperty entry, string modelPath, DiagnosticSink sink)
    {
        if (NamePattern.IsMatch(entry.Name)) return;
        string suggestion = Regex.Replace(entry.Name, "[^A-Za-z0-9._-]+", "-", RegexOptions.CultureInvariant).Trim('-');
        if (suggestion.Length == 0) suggestion = ModelConstraints.DefaultTargetName;
        sink.Error(DiagnosticCodes.ConstraintsInvalidTargetName, entry.NameOffset,
            $"Target name \"{entry.Name}\" in {modelPath}.{ConstraintKeys.Targets} is empty or has characters other than letters, digits, '.', '-' and '_'.",
            $"rename it to \"{suggestion}\" (it is what -p:SubnetGenTarget= selects).");
    }

    private static JsonNumberNode? Number(IReadOnlyDictionary<string, JsonProperty> keys, string key, string path, DiagnosticSink sink)
    {
        if (!keys.TryGetValue(key, out var property)) return null;
        return ValueTypes.Check(property, ConstraintKeys.Target.Find(key)!, path + "." + key, sink) ? (JsonNumberNode)property.Value : null;
    }

    private static double? PositiveNumber(IReadOnlyDictionary<string, JsonProperty> keys, string key, string path, DiagnosticSink sink)
    {
        var number = Number(keys, key, path, sink);
        if (number is null || !IsPositive(number, key, path, sink)) return null;
        if (number.AsDouble is null)
        {
            TooLarge(number, key, path, sink);
            return null;
        }
        return number.AsDouble;
    }

    /// <summary>A KB budget (fractions allowed) to whole bytes, rounded down: a budget is a maximum.</summary>
    private static long? Bytes(IReadOnlyDictionary<string, JsonProperty> keys, BudgetKey budgetKey, string path, DiagnosticSink sink)
    {
        string key = budgetKey.Name;
        double? kilobytes = PositiveNumber(keys, key, path, sink);
        if (kilobytes is null) return null;
        double bytes = Math.Floor(budgetKey.FromKeyUnit(kilobytes.Value));
        var number = (JsonNumberNode)keys[key].Value;
        if (bytes < 1)
        {
            string perKilobyte = BudgetKey.BytesPerKilobyte.ToString(CultureInfo.InvariantCulture);
            string half = budgetKey.FromKeyUnit(0.5).ToString(CultureInfo.InvariantCulture);
            sink.Error(DiagnosticCodes.ConstraintsBudgetOutOfRange, number.Offset,
                $"{path}.{key} is {number.Text} KB, less than one byte (KB here means {perKilobyte} bytes).",
                $"write the budget in KB, e.g. \"{key}\": 0.5 for {half} bytes.");
            return null;
        }
        if (bytes > MaxLongAsDouble)
        {
            TooLarge(number, key, path, sink);
            return null;
        }
        return (long)bytes;
    }

    private static long? WholeNumber(IReadOnlyDictionary<string, JsonProperty> keys, string key, string path, DiagnosticSink sink)
    {
        var number = Number(keys, key, path, sink);
        if (number is null || !IsPositive(number, key, path, sink)) return null;
        if (number.AsInt64 is long exact) return exact;
        if (number.AsDouble is double value && value == Math.Floor(value))
        {
            // Exponent forms like 5e6 are whole numbers too.
            if (value <= MaxLongAsDouble) return (long)value;
        }
        else if (number.AsDouble is double fractional)
        {
            string floor = Math.Max(1, Math.Floor(fractional)).ToString("R", CultureInfo.InvariantCulture);
            sink.Error(DiagnosticCodes.ConstraintsBudgetNotInteger, number.Offset,
                $"{path}.{key} must be a whole number, but it is {number.Text}.",
                $"write a whole number, e.g. \"{key}\": {floor}.");
            return null;
        }
        TooLarge(number, key, path, sink);
        return null;
    }

    private static double? Accuracy(IReadOnlyDictionary<string, JsonProperty> keys, string path, DiagnosticSink sink)
    {
        string key = BudgetKey.MinAccuracy.Name;
        var number = Number(keys, key, path, sink);
        if (number is null) return null;
        if (number.AsDouble is double value && value > 0 && value <= 1) return value;

        string fix = number.AsDouble is double percent && percent > 1 && percent <= 100
            ? $"{key} is a fraction of 1, not a percentage: write \"{key}\": {(percent / 100).ToString("R", CultureInfo.InvariantCulture)} for {number.Text}%."
            : $"write a fraction greater than 0 and at most 1, e.g. \"{key}\": 0.9 for 90% top-1 accuracy, or remove the key.";
        sink.Error(DiagnosticCodes.ConstraintsMinAccuracyOutOfRange, number.Offset,
            $"{path}.{key} must be greater than 0 and at most 1, but it is {number.Text}.", fix);
        return null;
    }

    /// <summary><c>"minimize"</c>: a cost's name; it needs <c>minAccuracy</c>, without which the cheapest subnet is simply the smallest.</summary>
    private static BudgetKey? Objective(IReadOnlyDictionary<string, JsonProperty> keys, string path, DiagnosticSink sink)
    {
        const string key = ConstraintKeys.Minimize;
        if (!keys.TryGetValue(key, out var property)) return null;
        if (!ValueTypes.Check(property, ConstraintKeys.Target.Find(key)!, path + "." + key, sink)) return null;
        var text = (JsonStringNode)property.Value;
        string names = string.Join(", ", BudgetKey.CostKeys.Select(k => "\"" + k.ObjectiveName + "\""));
        var objective = BudgetKey.ByObjective(text.Value);
        if (objective is null)
        {
            var near = BudgetKey.CostKeys.FirstOrDefault(k => string.Equals(k.ObjectiveName, text.Value, StringComparison.OrdinalIgnoreCase));
            sink.Error(DiagnosticCodes.ConstraintsUnknownObjective, text.Offset,
                $"{path}.{key} is \"{text.Value}\"; it names the cost to make as small as possible: one of {names}.",
                near is null ? $"write one of {names}, or remove the key to get the most accurate subnet that fits." : $"write \"{near.ObjectiveName}\" (the names are case-sensitive).");
            return null;
        }
        if (!keys.ContainsKey(BudgetKey.MinAccuracy.Name))
        {
            sink.Error(DiagnosticCodes.ConstraintsObjectiveWithoutMinAccuracy, property.NameOffset,
                $"{path}.{key} asks for the cheapest subnet by {objective.Bounds} whose predicted accuracy reaches {BudgetKey.MinAccuracy.Name}, but the target sets no {BudgetKey.MinAccuracy.Name} (without one the answer is always the smallest subnet).",
                $"add \"{BudgetKey.MinAccuracy.Name}\": <fraction, e.g. 0.9> to the target, or remove \"{key}\" to get the most accurate subnet that fits the budgets.");
            return null;
        }
        return objective;
    }

    private static (string? Table, string? ResolvedPath) LatencyTable(IReadOnlyDictionary<string, JsonProperty> keys, string path, string? baseDirectory, DiagnosticSink sink)
    {
        const string key = ConstraintKeys.LatencyTable;
        if (!keys.TryGetValue(key, out var property)) return (null, null);
        if (!ValueTypes.Check(property, ConstraintKeys.Target.Find(key)!, path + "." + key, sink)) return (null, null);

        var text = (JsonStringNode)property.Value;
        string? resolved = Resolve(text.Value, baseDirectory);
        if (resolved is null)
        {
            sink.Error(DiagnosticCodes.ConstraintsInvalidLatencyTablePath, text.Offset,
                $"{path}.{key} \"{text.Value}\" is not a usable file path.",
                "write the path of the device table relative to constraints.json, e.g. \"latencyTable\": \"devices/a53.json\", or remove the key.");
            return (null, null);
        }
        return (text.Value, resolved);
    }

    /// <summary>Resolves against the constraints folder; both '/' and '\' separate folders, so one file serves every OS.</summary>
    private static string? Resolve(string table, string? baseDirectory)
    {
        if (table.Trim().Length == 0 || table.IndexOfAny(Path.GetInvalidPathChars()) >= 0) return null;
        string local = table.Replace('\\', Path.DirectorySeparatorChar).Replace('/', Path.DirectorySeparatorChar);
        try
        {
            return Path.GetFullPath(baseDirectory is null ? local : Path.Combine(baseDirectory, local));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    private static bool IsPositive(JsonNumberNode number, string key, string path, DiagnosticSink sink)
    {
        bool negative = number.AsDouble is double value ? value <= 0 : number.Text.StartsWith("-", StringComparison.Ordinal);
        if (!negative) return true;
        var spec = ConstraintKeys.Target.Find(key)!;
        sink.Error(DiagnosticCodes.ConstraintsBudgetNotPositive, number.Offset,
            $"{path}.{key} must be greater than 0, but it is {number.Text}.",
            $"write a positive limit, e.g. \"{key}\": {spec.Example}, or remove the key to leave it unconstrained.");
        return false;
    }

    private static void TooLarge(JsonNumberNode number, string key, string path, DiagnosticSink sink) =>
        sink.Error(DiagnosticCodes.ConstraintsBudgetOutOfRange, number.Offset,
            $"{path}.{key} is {number.Text}, too large to be a budget.",
            $"write a realistic limit, e.g. \"{key}\": {ConstraintKeys.Target.Find(key)!.Example}, or remove the key to leave it unconstrained.");
}
