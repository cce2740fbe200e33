using System;
using System.IO;
using System.IO.Compression;
using SubnetGen.Core.Bundle;

namespace SubnetGen.Generators.Tests.Infrastructure;

/// <summary>A trained supernet as the build gets it: the bundle inside a package committed to the repository's feed/.</summary>
internal static class ReleasedSupernet
{
    public const string CompOfa = "SubnetGen.Supernet.FashionMnist.CompOFA.1.2.0.nupkg";

    private static readonly Lazy<SupernetBundle> s_compOfa = new(() => Load(CompOfa));

    /// <summary>The trained CompOFA supernet (loaded once per test run).</summary>
    public static SupernetBundle TrainedCompOfa => s_compOfa.Value;

    private static SupernetBundle Load(string package)
    {
        string? path = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && path is null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "feed", package))) path = Path.Combine(dir.FullName, "feed", package);
        Assert.True(path is not null, $"feed/{package} was not found above {AppContext.BaseDirectory}: it is committed to git (git checkout -- feed).");

        string folder = Path.Combine(Path.GetTempPath(), "subnetgen-generator-tests-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(folder);
        try
        {
            using (var zip = ZipFile.OpenRead(path!))
                foreach (var entry in zip.Entries)
                    if (entry.FullName.StartsWith("supernet/", StringComparison.Ordinal) && entry.Name.Length > 0 && entry.FullName.Length == "supernet/".Length + entry.Name.Length)
                        entry.ExtractToFile(Path.Combine(folder, entry.Name));
            return SupernetBundle.Load(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
