using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SubnetGen.Generators.Json;

/// <summary>A JSON syntax error at <see cref="Position"/> (a character offset into the text).</summary>
internal sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException(string message, int position) : base(message) => Position = position;

    public int Position { get; }
}

/// <summary>
/// A small, strict RFC 8259 reader: no comments, no trailing commas, no single quotes, no NaN, no
/// duplicate keys, no control characters in strings. The generator may use nothing but Roslyn, so it
/// cannot take System.Text.Json; the artifact is written by Core's System.Text.Json writer, which only
/// produces strict JSON, so anything else means the file was edited or corrupted.
/// </summary>
internal sealed class JsonReader
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private int _pos;
    private int _depth;

    private JsonReader(string text) => _text = text;

    /// <summary>Parses exactly one value surrounded only by whitespace.</summary>
    /// <exception cref="JsonSyntaxException">The text is not strict JSON.</exception>
    public static JsonValue Parse(string text)
    {
        var reader = new JsonReader(text);
        reader.SkipWhitespace();
        var value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._pos < text.Length) throw reader.Error("unexpected " + reader.Describe() + " after the end of the document");
        return value;
    }

    private JsonValue ReadValue()
    {
        if (_pos >= _text.Length) throw Error("unexpected end of the document; expected a value");
        char c = _text[_pos];
        switch (c)
        {
            case '{': return ReadObject();
            case '[': return ReadArray();
            case '"': { int start = _pos; string s = ReadString(); return JsonValue.Scalar(JsonKind.String, start, _pos - start, s); }
            case 't': return ReadLiteral("true", JsonKind.True);
            case 'f': return ReadLiteral("false", JsonKind.False);
            case 'n': return ReadLiteral("null", JsonKind.Null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                throw Error("unexpected " + Describe() + "; expected a value");
        }
    }

    private JsonValue ReadObject()
    {
        int start = _pos++;
        Enter();
        var properties = new List<KeyValuePair<string, JsonValue>>();
        SkipWhitespace();
        if (Peek() == '}') { _pos++; _depth--; return JsonValue.Object(start, _pos - start, properties); }
        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"') throw Error("unexpected " + Describe() + "; expected a property name in double quotes");
            int keyStart = _pos;
            string key = ReadString();
            foreach (var p in properties)
                if (string.Equals(p.Key, key, StringComparison.Ordinal)) throw new JsonSyntaxException("duplicate property \"" + key + "\"", keyStart);
            SkipWhitespace();
            Expect(':');
            SkipWhitespace();
            properties.Add(new KeyValuePair<string, JsonValue>(key, ReadValue()));
            SkipWhitespace();
            if (Peek() == ',') { _pos++; continue; }
            Expect('}');
            _depth--;
            return JsonValue.Object(start, _pos - start, properties);
        }
    }

    private JsonValue ReadArray()
    {
        int start = _pos++;
        Enter();
        var items = new List<JsonValue>();
        SkipWhitespace();
        if (Peek() == ']') { _pos++; _depth--; return JsonValue.Array(start, _pos - start, items); }
        while (true)
        {
            SkipWhitespace();
            items.Add(ReadValue());
            SkipWhitespace();
            if (Peek() == ',') { _pos++; continue; }
            Expect(']');
            _depth--;
            return JsonValue.Array(start, _pos - start, items);
        }
    }

    private string ReadString()
    {
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Error("unterminated string");
            char c = _text[_pos];
            if (c == '"') { _pos++; return sb.ToString(); }
            if (c < ' ') throw Error("control character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " in a string; escape it");
            if (c != '\\') { sb.Append(c); _pos++; continue; }
            _pos++;
            char e = _pos < _text.Length ? _text[_pos] : '\0';
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 >= _text.Length || !ushort.TryParse(_text.Substring(_pos + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                        throw Error("\\u must be followed by four hex digits");
                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default: throw Error("invalid escape sequence in a string");
            }
            _pos++;
        }
    }

    private JsonValue ReadNumber()
    {
        int start = _pos;
        if (Peek() == '-') _pos++;
        if (Peek() == '0') _pos++;
        else if (!Digits()) throw Error("invalid number; expected a digit");
        if (Peek() >= '0' && Peek() <= '9') throw Error("invalid number; leading zeros are not allowed");
        if (Peek() == '.') { _pos++; if (!Digits()) throw Error("invalid number; expected a digit after the decimal point"); }
        if (Peek() == 'e' || Peek() == 'E')
        {
            _pos++;
            if (Peek() == '+' || Peek() == '-') _pos++;
            if (!Digits()) throw Error("invalid number; expected a digit in the exponent");
        }
        return JsonValue.Scalar(JsonKind.Number, start, _pos - start, _text.Substring(start, _pos - start));
    }

    private bool Digits()
    {
        int start = _pos;
        while (_pos < _text.Length && _text[_pos] >= '0' && _text[_pos] <= '9') _pos++;
        return _pos > start;
    }

    private JsonValue ReadLiteral(string literal, JsonKind kind)
    {
        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0) throw Error("unexpected " + Describe() + "; expected a value");
        int start = _pos;
        _pos += literal.Length;
        return JsonValue.Literal(kind, start, literal.Length);
    }

    private void Enter()
    {
        if (++_depth > MaxDepth) throw Error("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
    }

    private void Expect(char c)
    {
        if (Peek() != c) throw Error("unexpected " + Describe() + "; expected '" + c + "'");
        _pos++;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t' || _text[_pos] == '\n' || _text[_pos] == '\r')) _pos++;
    }

    private string Describe() =>
        _pos >= _text.Length ? "end of the document"
        : _text[_pos] < ' ' ? "character U+" + ((int)_text[_pos]).ToString("X4", CultureInfo.InvariantCulture)
        : "'" + _text[_pos] + "'";

    private JsonSyntaxException Error(string message) => new(message, _pos);
}
