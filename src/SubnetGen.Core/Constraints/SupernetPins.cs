using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SubnetGen.Core.Constraints;

/// <summary>
/// Writes <c>"sha512"</c> pins into the text of a constraints.json and leaves every other byte as it was (comments,
/// layout, key order): an existing pin's value is replaced; a missing one goes right after the supernet's
/// <c>"version"</c> value, on a line of its own when the version has one. Pure; <c>subnetgen pin</c> does the IO.
/// </summary>
public static class SupernetPins
{
    /// <param name="text">A constraints.json that <see cref="ConstraintsReader"/> reads without errors.</param>
    /// <param name="hashOf">
    /// The base64 SHA-512 to pin for a model (its name, or null without one) and its supernet (with the pin it has, if a
    /// string), or null to leave that model as it is.
    /// </param>
    /// <returns>The pinned text; <paramref name="text"/> itself when it is not JSON or nothing changes.</returns>
    public static string Write(string text, Func<string?, SupernetReference, string?> hashOf)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        if (hashOf is null) throw new ArgumentNullException(nameof(hashOf));
        string bom = text.Length > 0 && text[0] == '\uFEFF' ? "\uFEFF" : "";
        byte[] utf8 = new UTF8Encoding(false).GetBytes(text.Substring(bom.Length));
        if (JsonTreeReader.Read(utf8, out _) is not JsonObjectNode root) return text;

        var edits = new List<(int Start, int End, string Text)>();
        foreach (var (model, supernet) in Supernets(root))
        {
            var keys = supernet.Properties.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            if (!(keys.TryGetValue(ConstraintKeys.Id, out var id) && id.Value is JsonStringNode idValue
                  && keys.TryGetValue(ConstraintKeys.Version, out var version) && version.Value is JsonStringNode versionValue))
                continue;
            keys.TryGetValue(ConstraintKeys.Sha512, out var pin);
            if (pin is not null && pin.Value is not JsonStringNode) continue; // the reader's SNG1006 says what to write
            string? name = (model.Properties.LastOrDefault(p => p.Name == ConstraintKeys.Name)?.Value as JsonStringNode)?.Value;
            string? hash = hashOf(name, new SupernetReference(idValue.Value, versionValue.Value, (pin?.Value as JsonStringNode)?.Value));
            if (hash is null) continue;

            if (pin is not null)
                edits.Add(((int)pin.Value.Offset, StringEnd(utf8, (int)pin.Value.Offset), Quote(hash)));
            else
            {
                int end = StringEnd(utf8, (int)versionValue.Offset);
                string? indent = OwnLineIndent(utf8, (int)version.NameOffset);
                string separator = indent is { Length: > 0 } ? ",\n" + indent : ", ";
                edits.Add((end, end, separator + Quote(ConstraintKeys.Sha512) + ": " + Quote(hash)));
            }
        }
        if (edits.Count == 0) return text;

        var result = new List<byte>(utf8);
        foreach (var edit in edits.OrderByDescending(e => e.Start))
        {
            result.RemoveRange(edit.Start, edit.End - edit.Start);
            result.InsertRange(edit.Start, Encoding.UTF8.GetBytes(edit.Text));
        }
        string pinned = bom + Encoding.UTF8.GetString(result.ToArray());
        return string.Equals(pinned, text, StringComparison.Ordinal) ? text : pinned;
    }

    private static IEnumerable<(JsonObjectNode Model, JsonObjectNode Supernet)> Supernets(JsonObjectNode root)
    {
        var models = root.Properties.LastOrDefault(p => p.Name == ConstraintKeys.Models)?.Value as JsonArrayNode;
        if (models is null) yield break;
        foreach (var model in models.Items.OfType<JsonObjectNode>())
        {
            if (model.Properties.LastOrDefault(p => p.Name == ConstraintKeys.Supernet)?.Value is JsonObjectNode supernet)
                yield return (model, supernet);
        }
    }

    private static string Quote(string value) => "\"" + value + "\"";

    /// <summary>One past the closing quote of the string token that starts at <paramref name="start"/>.</summary>
    private static int StringEnd(byte[] utf8, int start)
    {
        for (int i = start + 1; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\\') i++;
            else if (utf8[i] == (byte)'"') return i + 1;
        }
        return utf8.Length;
    }

    /// <summary>The spaces and tabs before <paramref name="offset"/> when only they precede it on its line, else null.</summary>
    private static string? OwnLineIndent(byte[] utf8, int offset)
    {
        int i = offset;
        while (i > 0 && utf8[i - 1] is (byte)' ' or (byte)'\t') i--;
        return i == 0 || utf8[i - 1] == (byte)'\n' ? Encoding.ASCII.GetString(utf8, i, offset - i) : null;
    }
}
