using System;

namespace SubnetGen.Pipeline;

/// <summary>Line and column (1-based) of a literal in a text file, for diagnostics Core reports without a position.</summary>
public static class SourceText
{
    public static (int Line, int Column)? Find(string text, string literal, int fromLine = 1)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (line >= fromLine && string.CompareOrdinal(text, i, literal, 0, literal.Length) == 0)
                return (line, i - lineStart + 1);
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return null;
    }
}
