using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.IO;

namespace SubnetGen.Core.Bundle;

/// <summary>The tensors and string metadata of one safetensors file.</summary>
public sealed record SafetensorsContent(IReadOnlyDictionary<string, WeightTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// The safetensors layout (huggingface/safetensors), float32 only: an 8-byte little-endian header
/// length N, N bytes of JSON <c>{"__metadata__": {..}, name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}}</c>
/// padded with spaces to a multiple of 8, then the data, offsets relative to its start. The writer
/// orders tensors by ordinal name (header and data), so the same tensors give the same bytes, and
/// Python's <c>safetensors.torch.load_file</c> reads the file.
/// </summary>
public static class Safetensors
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private const string MetadataKey = "__metadata__";
    // The reference implementation refuses headers over 100 MB; so do we, before allocating.
    private const long MaxHeaderBytes = 100_000_000;

    public static void Write(Stream stream, IReadOnlyDictionary<string, WeightTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.Where(n => n != MetadataKey).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (names.Length != tensors.Count) throw new ArgumentException($"\"{MetadataKey}\" is reserved and cannot name a tensor.", nameof(tensors));

        byte[] header = Header(names, tensors, metadata);
        var prefix = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, header.Length);
        stream.Write(prefix, 0, 8);
        stream.Write(header, 0, header.Length);
        foreach (var name in names)
        {
            var data = tensors[name].Data;
            byte[] bytes = FloatBytes.ToBytes(data);
            stream.Write(bytes, 0, bytes.Length);
        }
    }

    public static byte[] ToBytes(IReadOnlyDictionary<string, WeightTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var memory = new MemoryStream();
        Write(memory, tensors, metadata);
        return memory.ToArray();
    }

    private static byte[] Header(string[] names, IReadOnlyDictionary<string, WeightTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var memory = new MemoryStream();
        using (var json = new Utf8JsonWriter(memory))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var pair in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(pair.Key, pair.Value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var tensor = tensors[name];
                long end = offset + tensor.Data.Length * 4L;
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        int length = (int)memory.Length;
        int padded = (length + 7) / 8 * 8;
        for (int i = length; i < padded; i++) memory.WriteByte((byte)' ');
        return memory.ToArray();
    }

    /// <summary>Reads a whole file; <paramref name="file"/> names it in diagnostics.</summary>
    public static SafetensorsContent Read(byte[] bytes, string file)
    {
        if (bytes.Length < 8) throw Corrupt(file, $"it has {bytes.Length} bytes, fewer than the 8-byte header length");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (headerLength < 2 || headerLength > MaxHeaderBytes || headerLength > bytes.Length - 8)
            throw Corrupt(file, $"the header length {headerLength} does not fit a file of {bytes.Length} bytes");
        int dataStart = 8 + (int)headerLength;
        long dataLength = bytes.Length - dataStart;

        // JsonDocument checks the structure only; a name or string with invalid UTF-8 would throw when read.
        try { StrictUtf8.GetCharCount(bytes, 8, (int)headerLength); }
        catch (DecoderFallbackException) { throw Corrupt(file, "the header is not valid UTF-8"); }
        JsonDocument document;
        try { document = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, 8, (int)headerLength)); }
        catch (JsonException e) { throw Corrupt(file, "the header is not valid JSON: " + e.Message); }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Corrupt(file, "the header is not a JSON object");
            var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw Corrupt(file, "__metadata__ is not an object");
                    foreach (var m in property.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String) throw Corrupt(file, $"__metadata__.{m.Name} is not a string");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                tensors[property.Name] = ReadTensor(property.Name, property.Value, bytes, dataStart, dataLength, file);
            }
            return new SafetensorsContent(tensors, metadata);
        }
    }

    public static SafetensorsContent Read(string path)
    {
        if (!File.Exists(path))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(path)} does not exist.", path,
                "a supernet bundle needs weights.safetensors beside supernet.json.");
        return Read(File.ReadAllBytes(path), path);
    }

    private static WeightTensor ReadTensor(string name, JsonElement entry, byte[] bytes, int dataStart, long dataLength, string file)
    {
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Corrupt(file, $"tensor \"{name}\" needs dtype, shape and data_offsets [begin, end]");

        string type = dtype.GetString()!;
        if (type != "F32")
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.SafetensorsUnsupportedDtype,
                $"Tensor \"{name}\" in {Path.GetFileName(file)} has dtype {type}; SubnetGen reads F32 only.", file, 0, 0,
                "save the supernet tensors as float32 (e.g. tensor.float() before safetensors.torch.save_file)."));

        var shape = new List<int>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0)
                throw Corrupt(file, $"tensor \"{name}\" has a shape entry that is not a non-negative integer");
            shape.Add(dim);
        }
        if (!offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin || end > dataLength)
            throw Corrupt(file, $"tensor \"{name}\" has data_offsets outside the {dataLength} data bytes");
        long count = WeightTensor.ElementCount(shape);
        if ((end - begin) != count * 4)
            throw Corrupt(file, string.Format(CultureInfo.InvariantCulture,
                "tensor \"{0}\" has shape [{1}] ({2} floats) but {3} data bytes", name, string.Join(", ", shape), count, end - begin));

        var data = new float[count];
        FloatBytes.Read(bytes.AsSpan(dataStart + (int)begin), data);
        return new WeightTensor(shape, data);
    }

    private static SubnetGenException Corrupt(string file, string why) =>
        new(new Diagnostic(DiagnosticCodes.SafetensorsCorrupt,
            $"{Path.GetFileName(file)} is not a valid safetensors file: {why}.", file, 0, 0,
            "re-export the supernet (subnetgen-train export) or re-download the package."));
}
