using System;
using System.IO;
using SubnetGen.Packaging;

namespace SubnetGen.TestSupport;

/// <summary>The released, trained supernet packages committed to feed/, found above the running assembly or the current folder.</summary>
public static class ReleasedBundle
{
    // The one place the tests name the released versions: a release changes these and feed/ in the same commit.
    public const string CompOfaId = "SubnetGen.Supernet.FashionMnist.CompOFA";
    public const string CompOfaVersion = "1.2.0";
    public const string MoOfaId = "SubnetGen.Supernet.FashionMnist.MOOFA";
    public const string MoOfaVersion = "1.1.0";
    public const string OfaId = "SubnetGen.Supernet.FashionMnist.OFA";
    public const string OfaVersion = "1.8.0";

    public const string CompOfa = CompOfaId + "." + CompOfaVersion + ".nupkg";
    public const string MoOfa = MoOfaId + "." + MoOfaVersion + ".nupkg";
    public const string Ofa = OfaId + "." + OfaVersion + ".nupkg";

    /// <summary>feed/<paramref name="package"/>'s supernet/ bundle unpacked to a new temp folder (the caller deletes it).</summary>
    /// <exception cref="FileNotFoundException">The package is not in a feed/ folder above the assembly or the current folder.</exception>
    public static string Extract(string package) =>
        SupernetPackageReader.ExtractBundle(PackagePath(package),
            Path.Combine(Path.GetTempPath(), "subnetgen-released-" + Guid.NewGuid().ToString("N").Substring(0, 8)));

    public static string PackagePath(string package)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string path = Path.Combine(dir.FullName, "feed", package);
                if (File.Exists(path)) return path;
            }
        throw new FileNotFoundException($"feed/{package} was not found above {AppContext.BaseDirectory}: it is committed to git (git checkout -- feed).");
    }
}
