using System.Globalization;
using System.Text.RegularExpressions;

namespace SubnetGen.Core.Constraints;

/// <summary>
/// NuGet package id and exact-version rules for <c>supernet</c>. Only major.minor.patch[-prerelease] is taken:
/// a build must name one exact package so that it is reproducible.
/// </summary>
internal static class PackageNames
{
    // NuGet's own id rule (NuGet.Packaging.PackageIdValidator), at most 100 characters.
    private static readonly Regex IdPattern = new(@"^\w+([.-]\w+)*$", RegexOptions.CultureInvariant);

    private static readonly Regex VersionPattern = new(
        @"^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant);

    private static readonly Regex ShortVersionPattern = new(@"^[vV]?(\d+)(\.(\d+))?(\.(\d+))?(\.0)?$", RegexOptions.CultureInvariant);

    public const int MaxIdLength = 100;

    // 64 bytes in base64: 85 full characters, one that carries 2 bits (low 4 bits zero), then the padding.
    private static readonly Regex Sha512Pattern = new(@"^[A-Za-z0-9+/]{85}[AQgw]==$", RegexOptions.CultureInvariant);
    private static readonly Regex HexSha512Pattern = new(@"^[0-9A-Fa-f]{128}$", RegexOptions.CultureInvariant);

    /// <summary>A well-formed pin, for examples in messages and docs (the SHA-512 of no bytes).</summary>
    public const string ExampleSha512 = "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==";

    /// <summary>Base64 of exactly 64 bytes, canonically padded: the form of NuGet's contentHash.</summary>
    public static bool IsSha512(string text) => Sha512Pattern.IsMatch(text);

    /// <summary>The base64 form of a hex SHA-512 digest, or null when <paramref name="text"/> is not one.</summary>
    public static string? Sha512FromHex(string text)
    {
        if (!HexSha512Pattern.IsMatch(text)) return null;
        var bytes = new byte[64];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = byte.Parse(text.Substring(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return System.Convert.ToBase64String(bytes);
    }

    public static bool IsPackageId(string id) => id.Length <= MaxIdLength && IdPattern.IsMatch(id);

    public static bool IsExactVersion(string version)
    {
        var match = VersionPattern.Match(version);
        if (!match.Success) return false;
        // NuGet keeps major, minor and patch in an int.
        for (int group = 1; group <= 3; group++)
        {
            if (!int.TryParse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return false;
        }
        return true;
    }

    /// <summary>The exact version the user most likely meant ("1.0" → "1.0.0", "v1.2.3" → "1.2.3"), or null.</summary>
    public static string? SuggestVersion(string version)
    {
        var match = ShortVersionPattern.Match(version.Trim());
        if (!match.Success) return null;
        string major = match.Groups[1].Value;
        string minor = match.Groups[3].Success ? match.Groups[3].Value : "0";
        string patch = match.Groups[5].Success ? match.Groups[5].Value : "0";
        string suggestion = major + "." + minor + "." + patch;
        return IsExactVersion(suggestion) && suggestion != version ? suggestion : null;
    }
}
