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
