using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace SubnetGen.Core.Datasets;

/// <summary>
/// IDX files of unsigned bytes (MNIST's and Fashion-MNIST's layout), gzipped (<c>.gz</c>) or not: magic
/// 0x00 0x00 0x08 then the rank, the dimensions as big-endian int32, then the data. One reader for the
/// trainer's datasets and <c>subnetgen evaluate</c>.
/// </summary>
public static class IdxFile
{
    /// <summary>The file names of a test split in MNIST's layout (each may also be gzipped, <c>.gz</c>).</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte", TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>Writes <paramref name="data"/> with dimensions <paramref name="shape"/> to <paramref name="path"/>, uncompressed and atomically.</summary>
    public static void Write(string path, byte[] data, params int[] shape)
    {
        long items = 1;
        foreach (int d in shape) items *= d;
        if (shape.Length is < 1 or > 255 || items != data.Length)
            throw new ArgumentException($"{data.Length} bytes do not fill the shape {string.Join("×", shape)}.", nameof(shape));
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        IO.AtomicFile.Write(path, bytes);
    }

    /// <summary>Reads <paramref name="path"/>, keeping the first <paramref name="limit"/> items (all when null).</summary>
    /// <exception cref="InvalidDataException">Not IDX bytes of that rank, a non-positive dimension, or truncated.</exception>
    public static (byte[] Data, int[] Shape) Read(string path, int rank, int? limit = null)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            var word = new byte[4];
            ReadExactly(stream, word);
            if (word[0] != 0 || word[1] != 0 || word[2] != 0x08 || word[3] != rank)
                throw new InvalidDataException($"{path} is not an IDX file of unsigned bytes with {rank} dimension{(rank == 1 ? "" : "s")}.");
            var shape = new int[rank];
            long itemSize = 1;
            for (int i = 0; i < rank; i++)
            {
                ReadExactly(stream, word);
                shape[i] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (shape[i] <= 0) throw new InvalidDataException($"{path}: dimension {i + 1} is {shape[i]}.");
                if (i > 0) itemSize *= shape[i];
            }
            if (limit is int n && n < shape[0]) shape[0] = n;
            var data = new byte[shape[0] * itemSize];
            ReadExactly(stream, data);
            return (data, shape);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated.");
        }
    }

    // netstandard2.0 has no Stream.ReadExactly.
    private static void ReadExactly(Stream stream, byte[] buffer)
    {
        for (int read = 0; read < buffer.Length;)
        {
            int n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) throw new EndOfStreamException();
            read += n;
        }
    }
}
