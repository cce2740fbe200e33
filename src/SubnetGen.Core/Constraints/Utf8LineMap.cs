using System;
using System.Collections.Generic;

namespace SubnetGen.Core.Constraints;

/// <summary>
/// Turns byte offsets in UTF-8 text into 1-based line and column. Lines end at '\n' (as Utf8JsonReader
/// counts them, so "\r\n" works too); columns count UTF-16 characters, so a tab or an 'é' is one column.
/// </summary>
internal sealed class Utf8LineMap
{
    private readonly byte[] _utf8;
    private readonly int[] _lineStarts;

    public Utf8LineMap(byte[] utf8)
    {
        _utf8 = utf8;
        var starts = new List<int> { 0 };
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n') starts.Add(i + 1);
        }
        _lineStarts = starts.ToArray();
    }

    /// <summary>Line and column of the byte at <paramref name="byteOffset"/>.</summary>
    public (int Line, int Column) At(long byteOffset)
    {
        int offset = (int)Math.Max(0, Math.Min(byteOffset, _utf8.Length));
        int index = Array.BinarySearch(_lineStarts, offset);
        int line = index >= 0 ? index : ~index - 1;
        return (line + 1, CharsBetween(_lineStarts[line], offset) + 1);
    }

    /// <summary>Line and column from Utf8JsonReader's 0-based line and byte position within that line.</summary>
    public (int Line, int Column) AtLineByte(long zeroBasedLine, long bytePositionInLine)
    {
        int line = (int)Math.Max(0, Math.Min(zeroBasedLine, _lineStarts.Length - 1));
        long offset = _lineStarts[line] + Math.Max(0, bytePositionInLine);
        return (line + 1, CharsBetween(_lineStarts[line], (int)Math.Min(offset, _utf8.Length)) + 1);
    }

    private int CharsBetween(int start, int end)
    {
        int chars = 0;
        for (int i = start; i < end; i++)
        {
            byte b = _utf8[i];
            if ((b & 0xC0) == 0x80) continue;      // continuation byte: part of the previous character
            chars += b >= 0xF0 ? 2 : 1;            // four-byte sequences are surrogate pairs in UTF-16
        }
        return chars;
    }
}
