using System.Collections.Generic;

namespace SubnetGen.Core.Constraints;

/// <summary>
/// A minimal JSON tree that remembers where each token starts (byte offset) and keeps duplicate keys,
/// which JsonDocument cannot tell us about with positions.
/// </summary>
internal abstract class JsonNode
{
    protected JsonNode(long offset) => Offset = offset;

    public long Offset { get; }

    /// <summary>"a string", "a number", …: how the value is described in messages.</summary>
    public abstract string Describe { get; }
}

internal sealed class JsonObjectNode : JsonNode
{
    public JsonObjectNode(long offset, IReadOnlyList<JsonProperty> properties) : base(offset) => Properties = properties;

    public IReadOnlyList<JsonProperty> Properties { get; }

    public override string Describe => "an object";
}

internal sealed class JsonProperty
{
    public JsonProperty(string name, long nameOffset, JsonNode value)
    {
        Name = name;
        NameOffset = nameOffset;
        Value = value;
    }

    public string Name { get; }

    public long NameOffset { get; }

    public JsonNode Value { get; }
}

internal sealed class JsonArrayNode : JsonNode
{
    public JsonArrayNode(long offset, IReadOnlyList<JsonNode> items) : base(offset) => Items = items;

    public IReadOnlyList<JsonNode> Items { get; }

    public override string Describe => "an array";
}

internal sealed class JsonStringNode : JsonNode
{
    public JsonStringNode(long offset, string value) : base(offset) => Value = value;

    public string Value { get; }

    public override string Describe => "a string";
}

internal sealed class JsonNumberNode : JsonNode
{
    public JsonNumberNode(long offset, string text, double? asDouble, long? asInt64) : base(offset)
    {
        Text = text;
        AsDouble = asDouble;
        AsInt64 = asInt64;
    }

    /// <summary>The number as written, for messages.</summary>
    public string Text { get; }

    /// <summary>Null when the number does not fit a finite double.</summary>
    public double? AsDouble { get; }

    /// <summary>Null when the number is not an integer that fits a long.</summary>
    public long? AsInt64 { get; }

    public override string Describe => "a number";
}

/// <summary>true, false or null.</summary>
internal sealed class JsonLiteralNode : JsonNode
{
    public JsonLiteralNode(long offset, string text) : base(offset) => Text = text;

    public string Text { get; }

    public override string Describe => Text == "null" ? "null" : "a boolean (" + Text + ")";
}
