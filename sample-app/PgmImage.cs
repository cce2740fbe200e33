using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace SampleApp;

/// <summary>A binary PGM (P5) 8-bit grey image and the label index written in its header comment.</summary>
public sealed record PgmImage(string Name, int Width, int Height, byte[] Pixels, int? Label)
{
    public static PgmImage Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int position = 0;
        int? label = null;

        string Token()
        {
            while (true)
            {
                while (position < bytes.Length && char.IsWhiteSpace((char)bytes[position])) position++;
                if (position < bytes.Length && bytes[position] == (byte)'#')
                {
                    int start = position;
                    while (position < bytes.Length && bytes[position] != (byte)'\n') position++;
                    string comment = Encoding.ASCII.GetString(bytes, start, position - start);
                    int at = comment.IndexOf("label ", StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        int end = at + 6;
                        while (end < comment.Length && char.IsDigit(comment[end])) end++;
                        label = int.Parse(comment.AsSpan(at + 6, end - at - 6), CultureInfo.InvariantCulture);
                    }
                    continue;
                }
                int begin = position;
                while (position < bytes.Length && !char.IsWhiteSpace((char)bytes[position])) position++;
                return Encoding.ASCII.GetString(bytes, begin, position - begin);
            }
        }

        if (Token() != "P5") throw new InvalidDataException($"{path} is not a binary PGM (P5).");
        int width = int.Parse(Token(), CultureInfo.InvariantCulture);
        int height = int.Parse(Token(), CultureInfo.InvariantCulture);
        if (int.Parse(Token(), CultureInfo.InvariantCulture) != 255) throw new InvalidDataException($"{path}: only 8-bit PGM is supported.");
        position++; // the single whitespace byte before the pixels
        var pixels = new byte[width * height];
        Array.Copy(bytes, position, pixels, 0, pixels.Length);
        return new PgmImage(Path.GetFileNameWithoutExtension(path), width, height, pixels, label);
    }
}
