using System;
using System.IO;

namespace SubnetGen.Benchmarks;

/// <summary>The released, trained CompOFA supernet package committed to feed/, which the model benchmark and the layer profile load.</summary>
internal static class ReleasedSupernet
{
    public const string Package = "SubnetGen.Supernet.FashionMnist.CompOFA.1.1.0.nupkg";

    /// <summary>The package's supernet/ bundle unpacked to a new temp folder (the caller deletes it).</summary>
    public static string ExtractBundle()
    {
        string? package = null;
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null && package is null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "feed", Package))) package = Path.Combine(dir.FullName, "feed", Package);
        if (package is null)
            throw new FileNotFoundException($"feed/{Package} was not found above {AppContext.BaseDirectory}: it is committed to git (git checkout -- feed).");
        return SubnetGen.Packaging.SupernetPackageReader.ExtractBundle(package, Path.Combine(Path.GetTempPath(), "subnetgen-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8)));
    }
}
