using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Cost;

/// <summary>How a device latency table was measured, so a reader can judge whether it applies.</summary>
public sealed record LatencyMeasurement(string Tool, string Runtime, int Threads, int Iterations);

/// <summary>
/// Whole models timed beside their layers: <see cref="Scale"/> is the least-squares ratio (through the origin) of
/// <see cref="Subnets"/> generated models' measured <c>Predict</c> time to the sum of their layers' table entries.
/// Layers timed alone with warm caches miss what a whole inference adds or saves (caches shared between layers, call
/// overhead, frequency); the model multiplies every sum by it.
/// </summary>
public sealed record WholeModelCalibration(double Scale, int Subnets);

/// <summary>
/// Per-layer-shape latency on one device, in microseconds, keyed by <see cref="LayerKey"/> strings
/// (written by <c>subnetgen profile</c>, read by the search). JSON, formatVersion 1; see docs/search.md.
/// </summary>
public sealed class DeviceLatencyTable
{
    public const int FormatVersion = 1;

    public DeviceLatencyTable(string device, LatencyMeasurement measurement, IReadOnlyDictionary<string, double> entriesMicroseconds,
        WholeModelCalibration? wholeModel = null)
    {
        if (wholeModel is not null && (!(wholeModel.Scale > 0) || double.IsInfinity(wholeModel.Scale) || wholeModel.Subnets < 1))
            throw new ArgumentException("A whole-model calibration needs a positive, finite scale from at least one subnet.", nameof(wholeModel));
        Device = device;
        Measurement = measurement;
        WholeModel = wholeModel;
        var entries = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var keys = new Dictionary<string, LayerKey>(StringComparer.Ordinal);
        foreach (var pair in entriesMicroseconds)
        {
            if (!LayerKey.TryParse(pair.Key, out var key))
                throw new ArgumentException($"\"{pair.Key}\" is not a layer key such as \"pointwise:14x14x16->96:k1s1:relu\".", nameof(entriesMicroseconds));
            if (double.IsNaN(pair.Value) || double.IsInfinity(pair.Value) || pair.Value < 0)
                throw new ArgumentException($"Latency of \"{pair.Key}\" must be a finite, non-negative number of microseconds.", nameof(entriesMicroseconds));
            entries.Add(pair.Key, pair.Value);
            keys.Add(pair.Key, key);
        }
        _entries = entries;
        Keys = keys;
    }

    public string Device { get; }
    public LatencyMeasurement Measurement { get; }
    /// <summary>How whole models compare with their layers' sum on this device, or null (tables before it, or profiled without it).</summary>
    public WholeModelCalibration? WholeModel { get; }

    /// <summary>The same table with <paramref name="wholeModel"/>.</summary>
    public DeviceLatencyTable WithWholeModel(WholeModelCalibration? wholeModel) => new(Device, Measurement, EntriesMicroseconds, wholeModel);

    /// <summary>Latency per layer key in microseconds, in ordinal key order.</summary>
    public IReadOnlyDictionary<string, double> EntriesMicroseconds => _entries;

    private readonly SortedDictionary<string, double> _entries;

    /// <summary>The parsed form of every entry's key.</summary>
    internal IReadOnlyDictionary<string, LayerKey> Keys { get; }

    public bool TryGetMicroseconds(string key, out double microseconds) =>
        _entries.TryGetValue(key, out microseconds);

    public static DeviceLatencyTable Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads formatVersion 1; errors are <see cref="SubnetGenException"/>s naming <paramref name="file"/>.</summary>
    public static DeviceLatencyTable Parse(string json, string? file = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Error(DiagnosticCodes.LatencyTableUnreadable, $"The device latency table is not valid JSON: {e.Message}", file,
                (int)(e.LineNumber ?? -1) + 1, (int)(e.BytePositionInLine ?? -1) + 1, "Regenerate it with `subnetgen profile`.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid("the top level must be an object", file);
            if (!root.TryGetProperty("formatVersion", out var version) || version.ValueKind != JsonValueKind.Number)
                throw Invalid("\"formatVersion\" is missing", file);
            if (!version.TryGetInt32(out int v) || v != FormatVersion)
                throw Error(DiagnosticCodes.LatencyTableVersionUnknown,
                    $"The device latency table has formatVersion {version.GetRawText()}; this SubnetGen reads formatVersion {FormatVersion}.", file, 0, 0,
                    "Profile the device again with the `subnetgen` tool of this SubnetGen version.");

            string device = RequiredString(root, "device", file);
            if (!root.TryGetProperty("measurement", out var m) || m.ValueKind != JsonValueKind.Object)
                throw Invalid("\"measurement\" (tool, runtime, threads, iterations) is missing", file);
            var measurement = new LatencyMeasurement(
                RequiredString(m, "tool", file), RequiredString(m, "runtime", file),
                RequiredPositiveInt(m, "threads", file), RequiredPositiveInt(m, "iterations", file));

            if (!root.TryGetProperty("entries", out var entriesElement) || entriesElement.ValueKind != JsonValueKind.Object)
                throw Invalid("\"entries\" (layer key → microseconds) is missing", file);
            var entries = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var entry in entriesElement.EnumerateObject())
            {
                if (!LayerKey.TryParse(entry.Name, out _))
                    throw Invalid($"\"{entry.Name}\" is not a layer key such as \"pointwise:14x14x16->96:k1s1:relu\"", file);
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDouble(out double us)
                    || double.IsNaN(us) || double.IsInfinity(us) || us < 0)
                    throw Invalid($"the latency of \"{entry.Name}\" must be a non-negative number of microseconds, not {entry.Value.GetRawText()}", file);
                if (entries.ContainsKey(entry.Name)) throw Invalid($"\"{entry.Name}\" appears twice", file);
                entries.Add(entry.Name, us);
            }
            WholeModelCalibration? wholeModel = null;
            if (root.TryGetProperty("wholeModel", out var whole))
            {
                if (whole.ValueKind != JsonValueKind.Object || !whole.TryGetProperty("scale", out var scale) || scale.ValueKind != JsonValueKind.Number
                    || !scale.TryGetDouble(out double factor) || !(factor > 0) || double.IsInfinity(factor))
                    throw Invalid("\"wholeModel.scale\" must be a positive number", file);
                wholeModel = new WholeModelCalibration(factor, RequiredPositiveInt(whole, "subnets", file, "wholeModel."));
            }
            return new DeviceLatencyTable(device, measurement, entries, wholeModel);
        }
    }

    /// <summary>Writes <see cref="ToJson"/> (UTF-8, no BOM) through a temporary file, so a reader never sees half a table.</summary>
    public void Write(string path) => IO.AtomicFile.Write(path, new System.Text.UTF8Encoding(false).GetBytes(ToJson()));

    /// <summary>Deterministic JSON: indented, keys in ordinal order, latencies round-trippable.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        // Relaxed escaping keeps the keys' "->" readable ("\u003E" otherwise); the file is never embedded in HTML.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("formatVersion", FormatVersion);
            writer.WriteString("device", Device);
            writer.WriteStartObject("measurement");
            writer.WriteString("tool", Measurement.Tool);
            writer.WriteString("runtime", Measurement.Runtime);
            writer.WriteNumber("threads", Measurement.Threads);
            writer.WriteNumber("iterations", Measurement.Iterations);
            writer.WriteEndObject();
            writer.WriteStartObject("entries");
            foreach (var pair in EntriesMicroseconds) writer.WriteNumber(pair.Key, pair.Value);
            writer.WriteEndObject();
            if (WholeModel is { } whole)
            {
                writer.WriteStartObject("wholeModel");
                writer.WriteNumber("scale", whole.Scale);
                writer.WriteNumber("subnets", whole.Subnets);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
    }

    private static string RequiredString(JsonElement parent, string name, string? file) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw Invalid($"\"{name}\" must be a non-empty string", file);

    private static int RequiredPositiveInt(JsonElement parent, string name, string? file, string at = "measurement.") =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n > 0
            ? n
            : throw Invalid($"\"{at}{name}\" must be a positive integer", file);

    private static SubnetGenException Invalid(string what, string? file) =>
        Error(DiagnosticCodes.LatencyTableInvalid, "The device latency table is invalid: " + what + ".", file, 0, 0,
            "See docs/search.md for the format, or regenerate the table with `subnetgen profile`.");

    private static SubnetGenException Error(string code, string message, string? file, int line, int column, string fix) =>
        new(new Diagnostic(code, message, file, Math.Max(0, line), Math.Max(0, column), fix));
}
