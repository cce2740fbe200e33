using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace SubnetGen.Core.Constraints;

/// <summary>Reads UTF-8 JSON into a <see cref="JsonNode"/> tree with Utf8JsonReader; comments and trailing commas are allowed.</summary>
internal static class JsonTreeReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The tree, or null with <paramref name="error"/> set when the text is not valid JSON.</summary>
    public static JsonNode? Read(byte[] utf8, out JsonException? error)
    {
        error = null;
        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            if (!reader.Read()) throw new JsonException("The file contains no JSON value.", null, 0, 0);
            var root = ReadValue(ref reader);
            // Reading past the root value throws when anything but whitespace and comments follows it.
            while (reader.Read()) { }
            return root;
        }
        catch (JsonException e)
        {
            error = e;
            return null;
        }
    }

    private static JsonNode ReadValue(ref Utf8JsonReader reader)
    {
        long offset = reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<JsonProperty>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    long nameOffset = reader.TokenStartIndex;
                    string name = reader.GetString() ?? "";
                    reader.Read();
                    properties.Add(new JsonProperty(name, nameOffset, ReadValue(ref reader)));
                }
                return new JsonObjectNode(offset, properties);
            case JsonTokenType.StartArray:
                var items = new List<JsonNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader));
                }
                return new JsonArrayNode(offset, items);
            case JsonTokenType.String:
                return new JsonStringNode(offset, reader.GetString() ?? "");
            case JsonTokenType.Number:
                string text = Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                double? asDouble = reader.TryGetDouble(out double d) && !double.IsNaN(d) && !double.IsInfinity(d) ? d : null;
                long? asInt64 = reader.TryGetInt64(out long l) ? l : null;
                return new JsonNumberNode(offset, text, asDouble, asInt64);
            case JsonTokenType.True:
                return new JsonLiteralNode(offset, "true");
            case JsonTokenType.False:
                return new JsonLiteralNode(offset, "false");
            case JsonTokenType.Null:
                return new JsonLiteralNode(offset, "null");
            default:
                // Utf8JsonReader validates structure itself, so no other token can start a value.
                throw new InvalidOperationException("Unexpected JSON token " + reader.TokenType + ".");
        }
    }
}
