using System.Globalization;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Constraints;

/// <summary>Type checks for property values; a mismatch is reported as SNG1006 with a sample of the right type.</summary>
internal static class ValueTypes
{
    /// <summary>True when <paramref name="property"/> holds what <paramref name="spec"/> asks for (an integer counts as a number; integrality is checked later).</summary>
    public static bool Check(JsonProperty property, KeySpec spec, string path, DiagnosticSink sink)
    {
        var value = property.Value;
        bool ok = spec.Kind switch
        {
            ValueKind.String => value is JsonStringNode,
            ValueKind.Number or ValueKind.Integer => value is JsonNumberNode,
            ValueKind.Object => value is JsonObjectNode,
            ValueKind.Array => value is JsonArrayNode,
            _ => false,
        };
        if (ok) return true;

        sink.Error(DiagnosticCodes.ConstraintsWrongType, value.Offset,
            $"{path} must be {Expected(spec.Kind)}, but it is {value.Describe}.", Fix(property, spec));
        return false;
    }

    /// <summary>Reports a non-object where an object belongs (array items, target entries).</summary>
    public static bool CheckObject(JsonNode value, string path, string example, DiagnosticSink sink)
    {
        if (value is JsonObjectNode) return true;
        sink.Error(DiagnosticCodes.ConstraintsWrongType, value.Offset,
            $"{path} must be an object, but it is {value.Describe}.", $"write an object, e.g. {example}.");
        return false;
    }

    private static string Expected(ValueKind kind) => kind switch
    {
        ValueKind.String => "a string",
        ValueKind.Number => "a number",
        ValueKind.Integer => "a whole number",
        ValueKind.Object => "an object",
        _ => "an array",
    };

    private static string Fix(JsonProperty property, KeySpec spec)
    {
        // The commonest mistake: a number in quotes. Show the same number without them.
        if (spec.Kind is ValueKind.Number or ValueKind.Integer
            && property.Value is JsonStringNode text
            && double.TryParse(text.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return $"write \"{spec.Name}\": {text.Value.Trim()} (a number, without quotes).";
        }
        if (spec.Kind == ValueKind.String && property.Value is JsonNumberNode number)
        {
            return $"put the value in double quotes: \"{spec.Name}\": \"{number.Text}\".";
        }
        return $"write \"{spec.Name}\": {spec.Example}.";
    }
}
