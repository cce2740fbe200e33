using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace SubnetGen.Cli.Evaluation;

/// <summary>
/// A test split in IDX format (MNIST's layout): <c>t10k-images-idx3-ubyte</c> and
/// <c>t10k-labels-idx1-ubyte</c>, each gzipped (<c>.gz</c>) or not. Debian's <c>dataset-fashion-mnist</c>
/// installs Fashion-MNIST's under <see cref="FashionMnistFolder"/>. Pixels are single-channel bytes.
/// </summary>
public sealed class IdxTestSet
{
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";
    public const string ImagesFile = "t10k-images-idx3-ubyte";
    public const string LabelsFile = "t10k-labels-idx1-ubyte";

    private IdxTestSet(string folder, byte[] pixels, byte[] labels, int height, int width)
    {
        Folder = folder;
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
    }

    public string Folder { get; }
    /// <summary>All images, row-major, one byte (0–255) per pixel.</summary>
    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Count => Labels.Length;

    /// <summary>Image <paramref name="index"/> as the generated model takes it: floats in [0, 1], HWC.</summary>
    public float[] Image(int index)
    {
        int size = Height * Width;
        var result = new float[size];
        for (int i = 0; i < size; i++) result[i] = Pixels[index * size + i] / 255f;
        return result;
    }

    /// <summary>
    /// Reads the first <paramref name="limit"/> images (all when null) of the split in <paramref name="folder"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing (the message says what to install or pass).</exception>
    /// <exception cref="InvalidDataException">A file is not IDX, is truncated, or images and labels disagree.</exception>
    public static IdxTestSet Load(string folder, int? limit = null)
    {
        string imagesPath = Find(folder, ImagesFile), labelsPath = Find(folder, LabelsFile);
        var (images, imageShape) = Read(imagesPath, 3, limit);
        var (labels, labelShape) = Read(labelsPath, 1, limit);
        if (imageShape[0] != labelShape[0])
            throw new InvalidDataException($"{imagesPath} holds {imageShape[0]} images but {labelsPath} {labelShape[0]} labels.");
        return new IdxTestSet(folder, images, labels, imageShape[1], imageShape[2]);
    }

    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { Path.Combine(folder, name + ".gz"), Path.Combine(folder, name) })
            if (File.Exists(candidate)) return candidate;
        string hint = string.Equals(Path.GetFullPath(folder).TrimEnd('/'), FashionMnistFolder, StringComparison.Ordinal)
            ? "Install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist; build/install-test-deps.sh does it) or pass --data <folder>."
            : $"Pass --data with a folder holding {ImagesFile}[.gz] and {LabelsFile}[.gz], or --data fashion-mnist.";
        throw new FileNotFoundException($"{Path.Combine(folder, name)}[.gz] not found. {hint}", Path.Combine(folder, name));
    }

    /// <summary>IDX: magic 0x00 0x00 0x08 (unsigned bytes) then the rank, the dimensions as big-endian int32, then the data. Keeps the first <paramref name="limit"/> items.</summary>
    private static (byte[] Data, int[] Shape) Read(string path, int rank, int? limit)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            Span<byte> word = stackalloc byte[4];
            stream.ReadExactly(word);
            if (word[0] != 0 || word[1] != 0 || word[2] != 0x08 || word[3] != rank)
                throw new InvalidDataException($"{path} is not an IDX file of unsigned bytes with {rank} dimension{(rank == 1 ? "" : "s")}.");
            var shape = new int[rank];
            long itemSize = 1;
            for (int i = 0; i < rank; i++)
            {
                stream.ReadExactly(word);
                shape[i] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (shape[i] <= 0) throw new InvalidDataException($"{path}: dimension {i + 1} is {shape[i]}.");
                if (i > 0) itemSize *= shape[i];
            }
            if (limit is int n && n < shape[0]) shape[0] = n;
            var data = new byte[shape[0] * itemSize];
            stream.ReadExactly(data);
            return (data, shape);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated.");
        }
    }
}
