using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SubnetGen.Pipeline.Svg;

/// <summary>
/// Writes SVG markup as text: one element per line, indented, attributes in the order given, numbers in
/// <see cref="CultureInfo.InvariantCulture"/> with at most two decimals. Managed and allocation-light, so the MSBuild
/// process that writes the Pareto page loads no native drawing library; the same input gives the same bytes.
/// </summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _text = new();
    private readonly Stack<string> _open = new();

    /// <summary>Starts an element whose children follow until the matching <see cref="Close"/>.</summary>
    public SvgWriter Open(string name, params (string Name, object Value)[] attributes)
    {
        Start(name, attributes);
        _text.Append(">\n");
        _open.Push(name);
        return this;
    }

    /// <summary>An element without children: <c>&lt;circle … /&gt;</c>.</summary>
    public SvgWriter Empty(string name, params (string Name, object Value)[] attributes)
    {
        Start(name, attributes);
        _text.Append("/>\n");
        return this;
    }

    /// <summary>An element holding only text: <c>&lt;text …&gt;chosen&lt;/text&gt;</c>.</summary>
    public SvgWriter Text(string name, string content, params (string Name, object Value)[] attributes)
    {
        Start(name, attributes);
        _text.Append('>').Append(Escape(content)).Append("</").Append(name).Append(">\n");
        return this;
    }

    public SvgWriter Close()
    {
        string name = _open.Pop();
        Indent();
        _text.Append("</").Append(name).Append(">\n");
        return this;
    }

    /// <summary>The markup; every opened element must be closed.</summary>
    public override string ToString()
    {
        if (_open.Count != 0) throw new InvalidOperationException("<" + _open.Peek() + "> is not closed.");
        return _text.ToString();
    }

    /// <summary>Coordinates and sizes: at most two decimals, no trailing zeros, no "-0".</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "SVG numbers must be finite.");
        double rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        return rounded == 0 ? "0" : rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Text and attribute values escaped for XML (and so for HTML).</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }

    private void Start(string name, (string Name, object Value)[] attributes)
    {
        Indent();
        _text.Append('<').Append(name);
        foreach (var (key, value) in attributes)
        {
            string text = value switch
            {
                double d => Number(d),
                int i => i.ToString(CultureInfo.InvariantCulture),
                string s => s,
                _ => throw new ArgumentException($"attribute {key}: a {value.GetType().Name} is neither a number nor a string.", nameof(attributes)),
            };
            _text.Append(' ').Append(key).Append("=\"").Append(Escape(text)).Append('"');
        }
    }

    private void Indent() => _text.Append(' ', _open.Count * 2);
}
