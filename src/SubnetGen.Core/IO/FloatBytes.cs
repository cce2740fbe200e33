using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SubnetGen.Core.IO;

/// <summary>float32 arrays as the little-endian bytes every binary format here stores, whatever the machine's byte order.</summary>
public static class FloatBytes
{
    public static void Read(ReadOnlySpan<byte> source, Span<float> destination)
    {
        MemoryMarshal.Cast<byte, float>(source.Slice(0, destination.Length * sizeof(float))).CopyTo(destination);
        if (!BitConverter.IsLittleEndian) ReverseEach(destination);
    }

    public static byte[] ToBytes(ReadOnlySpan<float> source)
    {
        var bytes = new byte[source.Length * sizeof(float)];
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
        source.CopyTo(floats);
        if (!BitConverter.IsLittleEndian) ReverseEach(floats);
        return bytes;
    }

    private static void ReverseEach(Span<float> values)
    {
        var words = MemoryMarshal.Cast<float, int>(values);
        for (int i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReverseEndianness(words[i]);
    }
}
