using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// Packs SubnetGen.Runtime, SubnetGen and the subnetgen tool (SubnetGen.Cli) once (build/pack.sh --no-trainer: the
/// trainer's libtorch package is not needed here and slow to pack) with the released supernets into a
/// temporary feed, with a temporary NUGET_PACKAGES: the packages keep the fixed version 0.1.0, so an
/// isolated cache is what guarantees the consuming builds see these bits and not an older build's.
/// </summary>
public sealed class PackedFeedFixture : IDisposable
{
    public PackedFeedFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), "subnetgen-it-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "nuget-packages");
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Packages);

        PackResult = ProcessRunner.Run("bash", new[] { "build/pack.sh", "--no-trainer", Feed }, RepositoryRoot, Environment, TimeSpan.FromMinutes(10));
        if (PackResult.ExitCode != 0)
            throw new InvalidOperationException("build/pack.sh failed:\n" + PackResult);
    }

    public string RepositoryRoot { get; }
    /// <summary>Temporary folder holding the feed, the package cache and the consuming projects.</summary>
    public string Root { get; }
    public string Feed { get; }
    public string Packages { get; }
    public ProcessResult PackResult { get; }

    /// <summary>Environment for every nested dotnet call: the isolated global packages folder.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Packages };

    public IReadOnlyList<string> PackageFiles => Directory.GetFiles(Feed, "*.nupkg").Select(Path.GetFileName).ToList()!;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a lingering build server may hold a file; the temp folder is reclaimed later */ }
        catch (UnauthorizedAccessException) { }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "build", "pack.sh")) && Directory.Exists(Path.Combine(dir.FullName, "src", "SubnetGen")))
                return dir.FullName;
        throw new InvalidOperationException("Could not find the repository root above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeedFixture>
{
    public const string Name = "packed feed";
}
