using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Constraints;

/// <summary>Checks the keys of one JSON object: duplicates, and (for fixed levels) keys the level does not define.</summary>
internal static class ObjectKeys
{
    /// <summary>The properties in file order, each name once; later duplicates are reported (SNG1005) and dropped.</summary>
    public static IReadOnlyList<JsonProperty> Distinct(JsonObjectNode obj, string path, DiagnosticSink sink)
    {
        var seen = new Dictionary<string, JsonProperty>(StringComparer.Ordinal);
        var result = new List<JsonProperty>();
        foreach (var property in obj.Properties)
        {
            if (seen.TryGetValue(property.Name, out var first))
            {
                sink.Error(DiagnosticCodes.ConstraintsDuplicateKey, property.NameOffset,
                    $"\"{property.Name}\" appears twice in {Describe(path)}; the first is on line {sink.LineOf(first.NameOffset)}.",
                    $"keep one \"{property.Name}\" and delete the other.");
                continue;
            }
            seen.Add(property.Name, property);
            result.Add(property);
        }
        return result;
    }

    /// <summary>The level's known keys present in <paramref name="obj"/> (first occurrence), reporting unknown keys (SNG1004).</summary>
    public static IReadOnlyDictionary<string, JsonProperty> Known(JsonObjectNode obj, KeyLevel level, string path, DiagnosticSink sink)
    {
        var known = new Dictionary<string, JsonProperty>(StringComparer.Ordinal);
        foreach (var property in Distinct(obj, path, sink))
        {
            if (level.Find(property.Name) is not null)
            {
                known.Add(property.Name, property);
                continue;
            }
            sink.Error(DiagnosticCodes.ConstraintsUnknownKey, property.NameOffset,
                $"Unknown key \"{property.Name}\" in {Describe(path)}.", UnknownKeyFix(property.Name, level));
        }
        return known;
    }

    private static string UnknownKeyFix(string key, KeyLevel level)
    {
        string? typo = KeySuggestion.Closest(key, level.Keys.Select(k => k.Name));
        if (typo is not null) return $"did you mean {typo}? Write \"{typo}\" (keys are case-sensitive).";

        var elsewhere = ConstraintKeys.All.FirstOrDefault(l => l != level && l.Find(key) is not null);
        if (elsewhere is not null) return $"\"{key}\" belongs in {elsewhere.Description}, not in {level.Description}; move it there.";

        return $"remove it; {level.Description} allows: {string.Join(", ", level.Keys.Select(k => k.Name))}.";
    }

    /// <summary>"models[0].supernet" → "models[0].supernet"; the root has no path.</summary>
    public static string Describe(string path) => path.Length == 0 ? "the top-level object" : path;
}
