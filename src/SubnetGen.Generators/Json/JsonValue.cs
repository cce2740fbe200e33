using System.Collections.Generic;

namespace SubnetGen.Generators.Json;

internal enum JsonKind
{
    Null,
    False,
    True,
    Number,
    String,
    Array,
    Object,
}

/// <summary>
/// A parsed JSON value that remembers where it stood in the text (<see cref="Start"/>, <see cref="Length"/>),
/// so a diagnostic about a value can point at it. Numbers keep their literal text: the artifact parser
/// decides whether a field is an int, a long or a float.
/// </summary>
internal sealed class JsonValue
{
    private JsonValue(JsonKind kind, int start, int length, string? text, List<JsonValue>? items, List<KeyValuePair<string, JsonValue>>? properties)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Text = text;
        Items = items;
        Properties = properties;
    }

    public JsonKind Kind { get; }
    public int Start { get; }
    public int Length { get; }

    /// <summary>The unescaped string, or the number's literal text; null for other kinds.</summary>
    public string? Text { get; }

    /// <summary>Array elements in order; null unless <see cref="Kind"/> is <see cref="JsonKind.Array"/>.</summary>
    public List<JsonValue>? Items { get; }

    /// <summary>Object members in document order (keys are unique); null unless an object.</summary>
    public List<KeyValuePair<string, JsonValue>>? Properties { get; }

    public static JsonValue Literal(JsonKind kind, int start, int length) => new(kind, start, length, null, null, null);
    public static JsonValue Scalar(JsonKind kind, int start, int length, string text) => new(kind, start, length, text, null, null);
    public static JsonValue Array(int start, int length, List<JsonValue> items) => new(JsonKind.Array, start, length, null, items, null);
    public static JsonValue Object(int start, int length, List<KeyValuePair<string, JsonValue>> properties) =>
        new(JsonKind.Object, start, length, null, null, properties);

    /// <summary>The member named <paramref name="name"/> (ordinal), or null when absent or this is not an object.</summary>
    public JsonValue? Get(string name)
    {
        if (Properties is null) return null;
        foreach (var property in Properties)
            if (string.Equals(property.Key, name, System.StringComparison.Ordinal)) return property.Value;
        return null;
    }

    public static string KindName(JsonKind kind) => kind switch
    {
        JsonKind.Null => "null",
        JsonKind.False or JsonKind.True => "a boolean",
        JsonKind.Number => "a number",
        JsonKind.String => "a string",
        JsonKind.Array => "an array",
        _ => "an object",
    };
}
