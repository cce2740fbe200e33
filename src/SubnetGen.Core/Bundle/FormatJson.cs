using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Bundle;

/// <summary>
/// JSON conventions of every SubnetGen format (docs/formats.md): UTF-8, camelCase, indented with
/// '\n' on every OS (so the bytes do not depend on the machine), properties in declaration order.
/// </summary>
internal static class FormatJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static byte[] Serialize<T>(T value)
    {
        string text = JsonSerializer.Serialize(value, Options);
        // Indented output uses Environment.NewLine; raw newlines only occur between tokens (strings escape theirs).
        if (Environment.NewLine != "\n") text = text.Replace(Environment.NewLine, "\n");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text + "\n");
    }

    /// <summary>Deserializes, turning JSON errors into <paramref name="code"/> with the file, line and column.</summary>
    public static T Deserialize<T>(byte[] utf8, string file, string code, string fix) where T : class
    {
        try
        {
            var span = new ReadOnlySpan<byte>(utf8);
            if (span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF) span = span.Slice(3);
            return JsonSerializer.Deserialize<T>(span, Options)
                ?? throw Error(code, $"{Path.GetFileName(file)} holds null instead of an object.", file, fix);
        }
        catch (JsonException e)
        {
            throw new SubnetGenException(new Diagnostic(code,
                $"{Path.GetFileName(file)} is not valid: {e.Message}", file,
                (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1, fix), e);
        }
    }

    /// <summary>Reads the <c>formatVersion</c> before anything else, so an unknown version is reported as such and not as a shape error.</summary>
    public static void CheckVersion(byte[] utf8, string file, int expected, string invalidCode) =>
        CheckVersion(utf8, file, expected, expected, invalidCode);

    /// <summary>Refuses a document whose formatVersion is not <paramref name="oldest"/>–<paramref name="newest"/> (SNG4001).</summary>
    public static void CheckVersion(byte[] utf8, string file, int oldest, int newest, string invalidCode)
    {
        int? found;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var doc = JsonDocument.ParseValue(ref reader);
            found = doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("formatVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n)
                ? n : null;
        }
        catch (JsonException e)
        {
            throw new SubnetGenException(new Diagnostic(invalidCode,
                $"{Path.GetFileName(file)} is not valid JSON: {e.Message}", file,
                (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1,
                "regenerate the file with the tool that wrote it."), e);
        }
        if (found is not int version || version < oldest || version > newest)
        {
            string reads = oldest == newest ? oldest.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : oldest.ToString(System.Globalization.CultureInfo.InvariantCulture) + "–" + newest.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.UnsupportedFormatVersion,
                $"{Path.GetFileName(file)} has formatVersion {(found is null ? "(missing)" : found.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}; this SubnetGen reads formatVersion {reads}.",
                file, 0, 0, "use a SubnetGen version that matches the file, or regenerate the file with this version."));
        }
    }

    public static SubnetGenException Error(string code, string message, string file, string fix) =>
        new(new Diagnostic(code, message, file, 0, 0, fix));
}
