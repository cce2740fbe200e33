using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace SubnetGen.Trainer.Data;

/// <summary>Fashion-MNIST in IDX format, gzipped or not (Debian's dataset-fashion-mnist installs it under /usr/share/datasets/fashion-mnist).</summary>
internal static class FashionMnist
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] Labels =
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /// <summary>True when <paramref name="folder"/> holds the four IDX files.</summary>
    public static bool IsPresent(string folder) => Find(folder, "t10k-images-idx3-ubyte") is not null && Find(folder, "train-images-idx3-ubyte") is not null;

    public static ImageSet LoadTrain(string folder) => Load(folder, "train");

    public static ImageSet LoadTest(string folder) => Load(folder, "t10k");

    private static ImageSet Load(string folder, string prefix)
    {
        var (images, shape) = ReadIdx(Require(folder, prefix + "-images-idx3-ubyte"), 3);
        var (labels, _) = ReadIdx(Require(folder, prefix + "-labels-idx1-ubyte"), 1);
        return new ImageSet(images, labels, shape[1], shape[2], 1, Labels);
    }

    private static string Require(string folder, string name) =>
        Find(folder, name) ?? throw new FileNotFoundException(
            $"{Path.Combine(folder, name)}(.gz) not found. Install Debian's dataset-fashion-mnist (build/install-test-deps.sh does) or pass --data <folder with the IDX files>.");

    private static string? Find(string folder, string name)
    {
        foreach (var candidate in new[] { Path.Combine(folder, name + ".gz"), Path.Combine(folder, name) })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>IDX: big-endian magic (0x0000 08 dims), dims as big-endian int32, then unsigned bytes.</summary>
    private static (byte[] Data, int[] Shape) ReadIdx(string path, int expectedDims)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != expectedDims)
            throw new InvalidDataException($"{path} is not an IDX file of unsigned bytes with {expectedDims} dimensions.");
        var shape = new int[expectedDims];
        long total = 1;
        for (int i = 0; i < expectedDims; i++)
        {
            stream.ReadExactly(header);
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(header);
            total *= shape[i];
        }
        var data = new byte[total];
        stream.ReadExactly(data);
        return (data, shape);
    }
}
