using System;
using System.IO;
using System.IO.Compression;

namespace SubnetGen.Generators.Tests.Infrastructure;

/// <summary>Reads Fashion-MNIST test images (IDX, gzipped or not) from the Debian package dataset-fashion-mnist.</summary>
internal static class FashionMnist
{
    private const string Directory = "/usr/share/datasets/fashion-mnist";
    private const string Images = "t10k-images-idx3-ubyte";
    private const string Labels = "t10k-labels-idx1-ubyte";

    /// <summary>The first <paramref name="count"/> test images as HWC floats in [0,1]; fails the test when the dataset is missing.</summary>
    public static float[][] TestImages(int count) => Array.ConvertAll(TestImageBytes(count), bytes => Array.ConvertAll(bytes, b => b / 255f));

    /// <summary>The first <paramref name="count"/> test images as they are stored: 28×28 grey bytes, row-major.</summary>
    public static byte[][] TestImageBytes(int count)
    {
        string gz = Path.Combine(Directory, Images + ".gz");
        string raw = Path.Combine(Directory, Images);
        if (!File.Exists(gz) && !File.Exists(raw))
            Assert.Fail($"Fashion-MNIST is missing ({gz}): install dataset-fashion-mnist (build/install-test-deps.sh)");

        using Stream file = File.OpenRead(File.Exists(gz) ? gz : raw);
        using Stream stream = File.Exists(gz) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new BinaryReader(stream);
        int magic = BigEndian(reader), n = BigEndian(reader), rows = BigEndian(reader), cols = BigEndian(reader);
        Assert.Equal(0x803, magic);
        Assert.True(n >= count && rows == 28 && cols == 28, $"unexpected IDX header: {n} images of {rows}×{cols}");

        var images = new byte[count][];
        for (int i = 0; i < count; i++) images[i] = reader.ReadBytes(rows * cols);
        return images;
    }

    /// <summary>The class indices of the first <paramref name="count"/> test images.</summary>
    public static byte[] TestLabels(int count)
    {
        string gz = Path.Combine(Directory, Labels + ".gz");
        string raw = Path.Combine(Directory, Labels);
        if (!File.Exists(gz) && !File.Exists(raw))
            Assert.Fail($"Fashion-MNIST is missing ({gz}): install dataset-fashion-mnist (build/install-test-deps.sh)");
        using Stream file = File.OpenRead(File.Exists(gz) ? gz : raw);
        using Stream stream = File.Exists(gz) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new BinaryReader(stream);
        int magic = BigEndian(reader), n = BigEndian(reader);
        Assert.Equal(0x801, magic);
        Assert.True(n >= count);
        return reader.ReadBytes(count);
    }

    private static int BigEndian(BinaryReader reader)
    {
        byte[] b = reader.ReadBytes(4);
        return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    }
}
