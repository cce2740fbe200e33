using System;
using System.IO;
using System.IO.Compression;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Datasets;

namespace SubnetGen.Core.Tests.Datasets;

public sealed class IdxFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-idx-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public IdxFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Three 2×2 images, written by hand: magic 00 00 08 03, dims 3, 2, 2 (big-endian), then 12 bytes.
    private static readonly byte[] Images =
    {
        0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    };

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(_folder, name + (gzip ? ".gz" : ""));
        if (!gzip) { File.WriteAllBytes(path, bytes); return path; }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes, 0, bytes.Length);
        return path;
    }

    [Fact]
    public void Writes_the_bytes_written_by_hand_and_refuses_a_shape_the_data_does_not_fill()
    {
        string path = Path.Combine(_folder, "written");
        IdxFile.Write(path, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, 3, 2, 2);
        Assert.Equal(Images, File.ReadAllBytes(path));
        Assert.Throws<ArgumentException>(() => IdxFile.Write(path, new byte[11], 3, 2, 2));
        Assert.Equal(Images, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_shape_and_data_plain_or_gzipped(bool gzip)
    {
        var (data, shape) = IdxFile.Read(Write("images", Images, gzip), 3);
        Assert.Equal(new[] { 3, 2, 2 }, shape);
        Assert.Equal(Images.AsSpan(16).ToArray(), data);
    }

    [Fact]
    public void Limit_keeps_the_first_items()
    {
        var (data, shape) = IdxFile.Read(Write("images", Images), 3, limit: 2);
        Assert.Equal(new[] { 2, 2, 2 }, shape);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, data);
    }

    [Fact]
    public void Wrong_rank_and_truncation_are_invalid_data()
    {
        string path = Write("images", Images);
        Assert.Contains("1 dimension", Assert.Throws<InvalidDataException>(() => IdxFile.Read(path, 1)).Message);
        string truncated = Write("short", Images.AsSpan(0, Images.Length - 1).ToArray());
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxFile.Read(truncated, 3)).Message);
    }
}
