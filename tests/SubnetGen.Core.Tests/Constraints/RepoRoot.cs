using System;
using System.IO;

namespace SubnetGen.Core.Tests.Constraints;

/// <summary>The repository folder: the first folder above the test binaries that holds SubnetGen.sln.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SubnetGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("SubnetGen.sln not found above " + AppContext.BaseDirectory);
    }
}
