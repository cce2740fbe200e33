using System;
using System.IO;
using SubnetGen.Core.Bundle;
using SubnetGen.TestSupport;

namespace SubnetGen.Generators.Tests.Infrastructure;

/// <summary>A trained supernet as the build gets it: the bundle inside a package committed to the repository's feed/.</summary>
internal static class ReleasedSupernet
{
    public const string CompOfa = ReleasedBundle.CompOfa;

    private static readonly Lazy<SupernetBundle> s_compOfa = new(() => Load(CompOfa));

    /// <summary>The trained CompOFA supernet (loaded once per test run).</summary>
    public static SupernetBundle TrainedCompOfa => s_compOfa.Value;

    private static SupernetBundle Load(string package)
    {
        string folder = ReleasedBundle.Extract(package);
        try
        {
            return SupernetBundle.Load(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
