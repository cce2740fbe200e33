using System;
using System.IO;
using System.Security.Cryptography;

namespace SubnetGen.Pipeline;

/// <summary>A package file's SHA-512 in base64: the form of NuGet's .nupkg.sha512 and packages.lock.json contentHash.</summary>
public static class PackageHash
{
    public static string Sha512(string packageFile)
    {
        using var stream = File.OpenRead(packageFile);
        using var sha = SHA512.Create();
        return Convert.ToBase64String(sha.ComputeHash(stream));
    }
}
