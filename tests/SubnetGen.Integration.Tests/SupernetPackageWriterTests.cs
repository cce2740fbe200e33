using System;
using System.IO;
using System.IO.Compression;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.Packaging;

namespace SubnetGen.Integration.Tests;

/// <summary>Packing into a feed: the same bundle again is a no-op, another bundle under a version already there is refused.</summary>
public sealed class SupernetPackageWriterTests : IDisposable
{
    private static readonly string[] Labels = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-pack-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private string Bundle(string name, int seed)
    {
        string folder = Path.Combine(_folder, name);
        RandomSupernet.Create(DefaultSupernets.FashionMnist(Family.CompOfa), "SubnetGen.Supernet.Test.CompOFA", "0.2.0", seed, Labels).Save(folder);
        return folder;
    }

    [Fact]
    public void The_same_bundle_packs_to_the_same_bytes_and_another_one_under_that_version_is_refused()
    {
        string feed = Path.Combine(_folder, "feed");
        var first = SupernetPackageWriter.Write(Bundle("a", seed: 42), feed);
        // As if packed on another day: NuGet stamps every zip entry with the time of packing.
        using (var zip = ZipFile.Open(first.PackagePath, ZipArchiveMode.Update))
            foreach (var entry in zip.Entries) entry.LastWriteTime = new DateTimeOffset(2020, 5, 1, 12, 0, 0, TimeSpan.Zero);
        byte[] packed = File.ReadAllBytes(first.PackagePath);

        // A second bundle folder with the same content (same seed) is the same package: accepted, nothing rewritten.
        var again = SupernetPackageWriter.Write(Bundle("a-again", seed: 42), feed);
        Assert.Equal(first.PackagePath, again.PackagePath);
        Assert.Equal(packed, File.ReadAllBytes(again.PackagePath));

        var error = Assert.Throws<SubnetGenException>(() => SupernetPackageWriter.Write(Bundle("b", seed: 43), feed));
        Assert.Equal(DiagnosticCodes.PackageVersionExists, error.Diagnostic.Code);
        Assert.Contains("SubnetGen.Supernet.Test.CompOFA 0.2.0 has been packed before", error.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("--version", error.Diagnostic.Fix, StringComparison.Ordinal);
        Assert.Equal(packed, File.ReadAllBytes(first.PackagePath));
        Assert.Equal(new[] { first.PackagePath }, Directory.GetFiles(feed));
    }
}
