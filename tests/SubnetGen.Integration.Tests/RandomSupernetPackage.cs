using System.IO;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.Packaging;

namespace SubnetGen.Integration.Tests;

/// <summary>Random CompOFA supernets (what `subnetgen make-test-supernet` writes) packed into a feed folder: another seed, other weights, other bytes.</summary>
internal static class RandomSupernetPackage
{
    private static readonly string[] Labels = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    /// <returns>The .nupkg written into <paramref name="feed"/>.</returns>
    public static string Pack(PackedFeedFixture fixture, string feed, string id, string version, int seed)
    {
        string bundle = Path.Combine(fixture.Root, $"bundle-{id}-{version}-{seed}");
        RandomSupernet.Create(DefaultSupernets.FashionMnist(Family.CompOfa), id, version, seed, Labels).Save(bundle);
        return SupernetPackageWriter.Write(bundle, feed).PackagePath;
    }
}
