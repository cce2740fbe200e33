using System;

namespace SubnetGen.Core.Bundle;

/// <summary>float32/int32 little-endian conversion for the binary formats, whatever the machine's byte order.</summary>
internal static class LittleEndian
{
    public static void ToFloats(byte[] source, int offset, float[] destination, int count)
    {
        if (BitConverter.IsLittleEndian)
        {
            Buffer.BlockCopy(source, offset, destination, 0, count * 4);
            return;
        }
        var tmp = new byte[4];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < 4; j++) tmp[j] = source[offset + i * 4 + 3 - j];
            destination[i] = BitConverter.ToSingle(tmp, 0);
        }
    }

    public static byte[] FromFloats(float[] source, int offset, int count)
    {
        var bytes = new byte[count * 4];
        Buffer.BlockCopy(source, offset * 4, bytes, 0, count * 4);
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < bytes.Length; i += 4) { Array.Reverse(bytes, i, 4); }
        return bytes;
    }

    public static int ReadInt32(byte[] source, int offset) =>
        source[offset] | source[offset + 1] << 8 | source[offset + 2] << 16 | source[offset + 3] << 24;

    public static long ReadInt64(byte[] source, int offset) =>
        (uint)ReadInt32(source, offset) | (long)ReadInt32(source, offset + 4) << 32;

    public static void WriteInt32(byte[] destination, int offset, int value)
    {
        destination[offset] = (byte)value;
        destination[offset + 1] = (byte)(value >> 8);
        destination[offset + 2] = (byte)(value >> 16);
        destination[offset + 3] = (byte)(value >> 24);
    }

    public static void WriteInt64(byte[] destination, int offset, long value)
    {
        WriteInt32(destination, offset, (int)value);
        WriteInt32(destination, offset + 4, (int)(value >> 32));
    }
}
