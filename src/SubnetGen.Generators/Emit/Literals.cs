using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace SubnetGen.Generators.Emit;

/// <summary>C# literals and XML doc text, culture-invariant so the generated code does not depend on the build machine.</summary>
internal static class Literals
{
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Round-trip ("R") float with an <c>f</c> suffix: <c>0.286f</c>.</summary>
    public static string Float(float value)
    {
        if (float.IsNaN(value)) return "float.NaN";
        if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    /// <summary>Round-trip ("R") double that always reads as a double (<c>1.0</c>, not <c>1</c>); null → NaN.</summary>
    public static string Double(double? value)
    {
        if (value is not { } d || double.IsNaN(d)) return "double.NaN";
        string text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 ? text : text + ".0";
    }

    /// <summary>A quoted, escaped C# string literal.</summary>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>Thousands-grouped number for prose in doc comments: 1,234,567.</summary>
    public static string Grouped(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Text safe inside an XML doc comment element.</summary>
    public static string Xml(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                // Any C# line break would end the /// comment; other control characters are not XML.
                case '\u0085':
                case '\u2028':
                case '\u2029': sb.Append(' '); break;
                default: sb.Append(c < ' ' ? ' ' : c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Text safe on one <c>//</c> comment line.</summary>
    public static string Comment(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
            sb.Append(c < ' ' || c == '\u0085' || c == '\u2028' || c == '\u2029' ? ' ' : c);
        return sb.ToString();
    }
}
