using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;

namespace SubnetGen.Core.Constraints;

/// <summary>
/// Reads and validates constraints.json (docs/constraints.md). Pure: it parses the text it is given and
/// touches no file; <c>filePath</c> only places diagnostics and anchors relative <c>latencyTable</c> paths.
/// JSON comments and trailing commas are allowed.
/// </summary>
public static class ConstraintsReader
{
    private static readonly string ModelsExample = "\"models\": [ { \"name\": \"FashionClassifier\", \"supernet\": { \"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\", \"version\": \"1.0.0\" }, \"targets\": " + ConstraintKeys.TargetsExample + " } ]";

    // Utf8JsonReader appends its own position; ours (1-based, in characters) replaces it.
    private static readonly Regex ReaderPosition = new(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$", RegexOptions.CultureInvariant);

    /// <summary>The document (null when there is any error) and every error and warning, in file order.</summary>
    public static ConstraintsReadResult Read(string text, string filePath)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        if (filePath is null) throw new ArgumentNullException(nameof(filePath));

        // File.ReadAllText drops a BOM, but a caller decoding by hand may not.
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        byte[] utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        var lines = new Utf8LineMap(utf8);
        var sink = new DiagnosticSink(filePath, lines);

        var root = JsonTreeReader.Read(utf8, out var jsonError);
        if (root is null)
        {
            var (line, column) = lines.AtLineByte(jsonError?.LineNumber ?? 0, jsonError?.BytePositionInLine ?? 0);
            string reason = ReaderPosition.Replace(jsonError?.Message ?? "", "");
            sink.ErrorAt(DiagnosticCodes.ConstraintsInvalidJson, line, column,
                $"{DisplayName(filePath)} is not valid JSON: {reason}", InvalidJsonFix(reason));
            return new ConstraintsReadResult(null, sink.Ordered());
        }

        var document = ReadDocument(root, BaseDirectory(filePath), sink);
        return new ConstraintsReadResult(sink.HasErrors ? null : document, sink.Ordered());
    }

    /// <summary>The document; throws <see cref="SubnetGenException"/> carrying the first error. Warnings are dropped: use <see cref="Read"/> to log them.</summary>
    public static ConstraintsDocument Parse(string text, string filePath)
    {
        var result = Read(text, filePath);
        var firstError = result.Errors.FirstOrDefault();
        if (firstError is not null) throw new SubnetGenException(firstError);
        return result.Document!;
    }

    private static ConstraintsDocument? ReadDocument(JsonNode root, string? baseDirectory, DiagnosticSink sink)
    {
        if (root is not JsonObjectNode rootObject)
        {
            sink.Error(DiagnosticCodes.ConstraintsRootNotObject, root.Offset,
                $"constraints.json must hold one JSON object, but it holds {root.Describe}.",
                $"wrap the content in an object: {{ {ModelsExample} }}.");
            return null;
        }

        var keys = ObjectKeys.Known(rootObject, ConstraintKeys.Root, "", sink);
        if (keys.TryGetValue(ConstraintKeys.Schema, out var schema))
        {
            ValueTypes.Check(schema, ConstraintKeys.Root.Find(ConstraintKeys.Schema)!, ConstraintKeys.Schema, sink);
        }

        if (!keys.TryGetValue(ConstraintKeys.Models, out var modelsProperty))
        {
            sink.Error(DiagnosticCodes.ConstraintsModelsMissing, rootObject.Offset,
                "constraints.json has no \"models\"; there is nothing to generate.", $"add {ModelsExample}.");
            return null;
        }
        if (!ValueTypes.Check(modelsProperty, ConstraintKeys.Root.Find(ConstraintKeys.Models)!, ConstraintKeys.Models, sink)) return null;
        var models = (JsonArrayNode)modelsProperty.Value;
        if (models.Items.Count == 0)
        {
            sink.Error(DiagnosticCodes.ConstraintsModelsMissing, models.Offset,
                "\"models\" is empty; there is nothing to generate.", $"add a model: {ModelsExample}.");
            return null;
        }

        var result = new List<ModelConstraints>();
        var names = new Dictionary<string, JsonStringNode>(StringComparer.Ordinal);
        for (int i = 0; i < models.Items.Count; i++)
        {
            string path = ConstraintKeys.Models + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            var model = ModelReader.Read(models.Items[i], path, baseDirectory, sink, out var name);
            if (model is not null) result.Add(model);
            if (name is null || name.Value.Length == 0) continue;
            if (names.TryGetValue(name.Value, out var first))
            {
                sink.Error(DiagnosticCodes.ConstraintsDuplicateModelName, name.Offset,
                    $"{path} is named \"{name.Value}\" like the model on line {sink.LineOf(first.Offset)}; each model becomes a class, so names must differ.",
                    $"rename one, e.g. \"name\": \"{name.Value}{i + 1}\", or merge the two models' targets into one model.");
                continue;
            }
            names.Add(name.Value, name);
        }
        return new ConstraintsDocument(result);
    }

    private static string? BaseDirectory(string filePath)
    {
        if (filePath.Trim().Length == 0) return null;
        try
        {
            return Path.GetDirectoryName(Path.GetFullPath(filePath));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    private static string DisplayName(string filePath)
    {
        string name = filePath.Trim().Length == 0 ? "" : Path.GetFileName(filePath);
        return name.Length == 0 ? "constraints.json" : name;
    }

    /// <summary>A concrete hint for the usual hand-editing slips; Utf8JsonReader's reason is in the message.</summary>
    private static string InvalidJsonFix(string reason)
    {
        if (reason.IndexOf("'''", StringComparison.Ordinal) >= 0)
            return "use double quotes (\") around keys and strings; JSON has no single quotes.";
        if (reason.IndexOf("after a value", StringComparison.Ordinal) >= 0 || reason.IndexOf("after a property", StringComparison.Ordinal) >= 0)
            return "add the missing comma between the two items, or the missing ':' between key and value.";
        if (reason.IndexOf("property name", StringComparison.OrdinalIgnoreCase) >= 0)
            return "put every key in double quotes, e.g. " + ConstraintKeys.Sample(BudgetKey.MaxLatencyMs) + ".";
        if (reason.IndexOf("does not contain any JSON tokens", StringComparison.Ordinal) >= 0)
            return "the file has no content: write { " + ModelsExample + " }.";
        if (reason.IndexOf("after a single JSON value", StringComparison.Ordinal) >= 0)
            return "remove what follows the closing '}' of the top-level object; a file holds one object.";
        if (reason.IndexOf("depth to be zero", StringComparison.Ordinal) >= 0)
            return "close every '{' with '}' and every '[' with ']'.";
        return "fix the JSON at this position: keys and strings in double quotes, ',' between items, matching braces (comments and trailing commas are allowed).";
    }
}
