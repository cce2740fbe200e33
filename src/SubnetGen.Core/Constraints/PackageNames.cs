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
