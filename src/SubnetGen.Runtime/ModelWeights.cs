using System;
using System.Buffers.Binary;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SubnetGen.Runtime;

/// <summary>Loads a generated model's weights from the resource embedded in its assembly.</summary>
public static class ModelWeights
{
    /// <summary>
    /// Reads the embedded resource <paramref name="resourceName"/> (raw float32, little-endian, no
    /// header) of <paramref name="assembly"/> into a new float[<paramref name="floatCount"/>].
    /// Called once per model instance, at construction.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The resource is missing, or its length is not <paramref name="floatCount"/> × 4 bytes (the
    /// message names the resource and the assembly).
    /// </exception>
    public static float[] LoadEmbedded(Assembly assembly, string resourceName, int floatCount)
    {
        if (assembly is null) throw new ArgumentNullException(nameof(assembly));
        if (resourceName is null) throw new ArgumentNullException(nameof(resourceName));
        if (floatCount < 0 || floatCount > int.MaxValue / sizeof(float))
            throw new ArgumentOutOfRangeException(nameof(floatCount), floatCount, $"floatCount must be between 0 and {int.MaxValue / sizeof(float)}.");

        using Stream? stream = assembly.GetManifestResourceStream(resourceName);
        if (stream is null)
        {
            string[] names = assembly.GetManifestResourceNames();
            throw new InvalidOperationException(
                $"Embedded resource '{resourceName}' was not found in assembly '{assembly.FullName}'. " +
                (names.Length == 0
                    ? "The assembly has no embedded resources."
                    : $"Its resources are: {string.Join(", ", names)}.") +
                " The generated model expects its weights there (EmbeddedResource with this LogicalName).");
        }

        long expectedBytes = floatCount * (long)sizeof(float);
        if (stream.Length != expectedBytes)
            throw new InvalidOperationException(
                $"Embedded resource '{resourceName}' in assembly '{assembly.FullName}' is {stream.Length} bytes; " +
                $"expected {expectedBytes} ({floatCount} float32 values). The weights do not belong to this generated model: rebuild the project.");

        var weights = new float[floatCount];
        ReadExactly(stream, MemoryMarshal.AsBytes(weights.AsSpan()), resourceName);
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> bits = MemoryMarshal.Cast<float, int>(weights.AsSpan());
            for (int i = 0; i < bits.Length; i++)
                bits[i] = BinaryPrimitives.ReverseEndianness(bits[i]);
        }
        return weights;
    }

    private static void ReadExactly(Stream stream, Span<byte> destination, string resourceName)
    {
#if NET8_0_OR_GREATER
        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidOperationException($"Embedded resource '{resourceName}' ended early.", e);
        }
#else
        if (stream is UnmanagedMemoryStream unmanaged)
        {
            // Resources of a loaded assembly are mapped memory: copy straight from it.
            unsafe
            {
                new ReadOnlySpan<byte>(unmanaged.PositionPointer, destination.Length).CopyTo(destination);
            }
            return;
        }
        byte[] buffer = new byte[Math.Min(destination.Length, 81920)];
        while (!destination.IsEmpty)
        {
            int read = stream.Read(buffer, 0, Math.Min(buffer.Length, destination.Length));
            if (read <= 0) throw new InvalidOperationException($"Embedded resource '{resourceName}' ended early.");
            buffer.AsSpan(0, read).CopyTo(destination);
            destination = destination.Slice(read);
        }
#endif
    }
}
