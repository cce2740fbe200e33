using System;
using System.Collections.Generic;

namespace SubnetGen.Core.Constraints;

/// <summary>Finds the known key an unknown key was probably meant to be, by edit distance ignoring case.</summary>
internal static class KeySuggestion
{
    /// <summary>The closest of <paramref name="known"/>, or null when none is close enough to be a typo.</summary>
    public static string? Closest(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = Distance(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // A third of the key's length, at least 1 and at most 3 edits: "maxLatency" → "maxLatencyMs", not "name" → "id".
        int allowed = Math.Max(1, Math.Min(3, key.Length / 3));
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Levenshtein distance (insert, delete, substitute each cost 1).</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
