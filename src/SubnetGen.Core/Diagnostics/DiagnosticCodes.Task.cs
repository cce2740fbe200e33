namespace SubnetGen.Core.Diagnostics;

/// <summary>SNG2xxx: the MSBuild task — finding constraints.json, resolving and fetching the supernet package, writing the artifact.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>The constraints file named by <c>SubnetGenConstraintsFile</c> does not exist.</summary>
    public const string ConstraintsFileMissing = "SNG2001";

    /// <summary>The project references SubnetGen but has no constraints.json beside it (warning: nothing is generated).</summary>
    public const string NoConstraintsFile = "SNG2002";

    /// <summary>No configured package source has the supernet package id at all.</summary>
    public const string SupernetPackageNotFound = "SNG2010";

    /// <summary>The supernet package exists, but not in the requested version.</summary>
    public const string SupernetVersionNotFound = "SNG2011";

    /// <summary>A package source could not be reached and the package was not found elsewhere.</summary>
    public const string PackageSourceUnreachable = "SNG2012";

    /// <summary>The package was found and extracted but has no <c>supernet/supernet.json</c>: not a supernet package.</summary>
    public const string NotASupernetPackage = "SNG2013";

    /// <summary>Downloading or extracting the supernet package failed.</summary>
    public const string SupernetInstallFailed = "SNG2014";

    /// <summary>The supernet version in constraints.json is not a valid NuGet version.</summary>
    public const string InvalidSupernetVersion = "SNG2015";

    /// <summary>NuGet's settings cannot be loaded: a malformed nuget.config, or a relative NUGET_PACKAGES.</summary>
    public const string NuGetConfigurationInvalid = "SNG2016";

    /// <summary>The global packages folder holds the supernet's id and version with other content than a local feed configured for it (a repacked version).</summary>
    public const string CachedPackageDiffersFromFeed = "SNG2017";

    /// <summary>The supernet package resolved for a build has another SHA-512 than the one constraints.json pins.</summary>
    public const string SupernetHashMismatch = "SNG2018";

    /// <summary>The subnet artifact or Pareto report could not be written.</summary>
    public const string ArtifactWriteFailed = "SNG2020";

    /// <summary><c>subnetgen pack</c>: the bundle folder lacks a file or supernet.json lacks id, version or family.</summary>
    public const string BundleIncomplete = "SNG2030";

    /// <summary><c>subnetgen pack</c>: the feed already has this package id and version with other content.</summary>
    public const string PackageVersionExists = "SNG2031";

    /// <summary>An unexpected failure inside SubnetGen (a bug): the message carries the exception.</summary>
    public const string InternalError = "SNG2099";
}
