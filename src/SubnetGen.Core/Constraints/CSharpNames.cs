using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SubnetGen.Core.Constraints;

/// <summary>
/// C# identifier rules (C# spec §6.4.3, without '@' and escapes) for model names, which become class names,
/// and namespaces; and how to turn an invalid name into a valid one for the Fix text.
/// </summary>
internal static class CSharpNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    public static bool IsKeyword(string name) => Keywords.Contains(name);

    public static bool IsIdentifier(string name) =>
        name.Length > 0 && IsStart(name[0]) && name.Skip(1).All(IsPart) && !IsKeyword(name);

    /// <summary>Dotted identifiers: "MyApp.Models".</summary>
    public static bool IsNamespace(string name) => name.Split('.').All(IsIdentifier);

    /// <summary>
    /// A valid identifier close to <paramref name="text"/>: invalid characters split words, each word starts
    /// upper-case ("fashion-classifier" → "FashionClassifier"), a leading digit gets '_'.
    /// </summary>
    public static string ToIdentifier(string text)
    {
        var result = new StringBuilder();
        bool wordStart = true;
        foreach (char c in text)
        {
            if (!IsPart(c))
            {
                wordStart = true;
                continue;
            }
            result.Append(wordStart ? char.ToUpperInvariant(c) : c);
            wordStart = false;
        }
        if (result.Length == 0) return "Model";
        if (!IsStart(result[0])) result.Insert(0, '_');
        string name = result.ToString();
        return IsKeyword(name) ? "_" + name : name;
    }

    /// <summary>Each dotted part made an identifier; empty parts ("MyApp..Models", "MyApp.") are dropped.</summary>
    public static string ToNamespace(string text)
    {
        var parts = text.Split('.').Where(p => p.Trim().Length > 0).Select(ToIdentifier).ToArray();
        return parts.Length == 0 ? "MyApp.Models" : string.Join(".", parts);
    }

    private static bool IsStart(char c) => c == '_' || IsLetter(CharUnicodeInfo.GetUnicodeCategory(c));

    private static bool IsPart(char c)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return IsLetter(category)
            || category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format;
    }

    private static bool IsLetter(UnicodeCategory category) => category
        is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;
}
