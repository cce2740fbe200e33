using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Pipeline;

/// <summary>Where a supernet package lies on disk once resolved, and whether this build had to fetch it.</summary>
public sealed record ResolvedSupernet(string Id, NuGetVersion Version, string PackageFolder, string? DownloadedFrom)
{
    /// <summary>The bundle folder inside the package (supernet.json, weights, predictor, calibration).</summary>
    public string BundleFolder => Path.Combine(PackageFolder, "supernet");

    /// <summary>
    /// The .nupkg in a local feed folder that the package was installed from or compared with; null for http feeds.
    /// A build that records it reruns when the feed's package is replaced, and the comparison then catches a stale cache.
    /// </summary>
    public string? FeedPackage { get; init; }

    /// <summary>The nuget.config files the sources were read from: another feed there can mean another package.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = Array.Empty<string>();

    /// <summary>The .nupkg NuGet keeps beside the extracted files in the global packages folder: what a pin's SHA-512 is of.</summary>
    public string PackageFile { get; init; } = "";
}

/// <summary>
/// Finds a supernet content package the way restore would: the project's nuget.config chain
/// (loaded from the absolute project folder — a relative one silently skips the project's config),
/// the global packages folder first (NUGET_PACKAGES honoured), else the configured sources in order,
/// filtered by packageSourceMapping, installed into the global packages folder with PackageExtractor.
/// Unlike restore, a package already in the global packages folder is compared with the same id and version in the
/// local feed folders configured for it: a feed repacked under a version a build has cached would otherwise be
/// ignored without a word (SNG2017). Http feeds are not asked (that would cost every build a request).
/// With a pin (constraints.json's <c>sha512</c>), the package file must have that SHA-512 wherever it came from (SNG2018).
/// </summary>
public sealed class SupernetPackageResolver
{
    private readonly ILogger _log;

    public SupernetPackageResolver(ILogger log) => _log = log;

    /// <summary>NuGet's messages go to the build's (or the CLI's) log.</summary>
    public SupernetPackageResolver(IPipelineLog log) : this(new NuGetLogAdapter(log)) { }

    /// <param name="sha512">The pinned base64 SHA-512 of the package, or null for none.</param>
    public ResolvedSupernet Resolve(string projectDirectory, string id, string versionText, string? sha512, string? constraintsFile, CancellationToken token) =>
        ResolveAsync(projectDirectory, id, versionText, sha512, constraintsFile, token).GetAwaiter().GetResult();

    public async Task<ResolvedSupernet> ResolveAsync(string projectDirectory, string id, string versionText, string? sha512, string? constraintsFile, CancellationToken token)
    {
        var resolved = await ResolveUnpinnedAsync(projectDirectory, id, versionText, constraintsFile, token).ConfigureAwait(false);
        if (sha512 is not null) CheckPin(resolved, sha512, constraintsFile);
        return resolved;
    }

    private async Task<ResolvedSupernet> ResolveUnpinnedAsync(string projectDirectory, string id, string versionText, string? constraintsFile, CancellationToken token)
    {
        if (!NuGetVersion.TryParse(versionText, out var version))
            throw Fail(DiagnosticCodes.InvalidSupernetVersion, constraintsFile,
                $"Supernet version \"{versionText}\" of {id} is not a valid NuGet version.",
                "write a version like \"1.0.0\" (floating versions are not supported: a build must be reproducible).");

        ISettings settings;
        VersionFolderPathResolver pathResolver;
        try
        {
            settings = Settings.LoadDefaultSettings(Path.GetFullPath(projectDirectory));
            pathResolver = new VersionFolderPathResolver(SettingsUtility.GetGlobalPackagesFolder(settings));
        }
        catch (NuGetConfigurationException e)
        {
            throw Fail(DiagnosticCodes.NuGetConfigurationInvalid, constraintsFile,
                $"NuGet's configuration for {projectDirectory} cannot be used to find {id} {version}: {FirstLine(e)}",
                "fix the nuget.config named in the message (or the NUGET_PACKAGES variable, which must be an absolute path).");
        }
        var identity = new PackageIdentity(id, version);
        var sources = Sources(settings, id);
        var configFiles = settings.GetConfigFilePaths().ToList();

        string? installed = InstalledFolder(pathResolver, identity);
        if (installed is not null)
        {
            string? feedPackage = await CompareWithLocalFeedAsync(sources, pathResolver, identity, installed, constraintsFile, token).ConfigureAwait(false);
            return Checked(new ResolvedSupernet(id, version, installed, null)
                { FeedPackage = feedPackage, ConfigFiles = configFiles, PackageFile = pathResolver.GetPackageFilePath(id, version) }, constraintsFile);
        }

        if (sources.Count == 0)
            throw Fail(DiagnosticCodes.SupernetPackageNotFound, constraintsFile,
                $"Supernet package {id} {version} is not in the global packages folder ({pathResolver.RootPath}) and no package source is configured for it.",
                "add the feed that has it to nuget.config (and to packageSourceMapping if you use it), e.g. <add key=\"supernets\" value=\"path/to/feed\" />.");

        using var cache = new SourceCacheContext();
        var unreachable = new List<string>();
        var otherVersions = new SortedSet<NuGetVersion>();
        foreach (var source in sources)
        {
            FindPackageByIdResource? finder;
            IEnumerable<NuGetVersion>? versions;
            try
            {
                finder = await Repository.Factory.GetCoreV3(source).GetResourceAsync<FindPackageByIdResource>(token).ConfigureAwait(false);
                if (finder is null)
                {
                    unreachable.Add($"{source.Name} ({source.Source}): not a NuGet feed");
                    continue;
                }
                versions = await finder.GetAllVersionsAsync(id, cache, _log, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FatalProtocolException or IOException or UnauthorizedAccessException or System.Net.Http.HttpRequestException)
            {
                unreachable.Add($"{source.Name} ({source.Source}): {FirstLine(e)}");
                continue;
            }
            var list = versions?.ToList() ?? new List<NuGetVersion>();
            if (!list.Contains(version))
            {
                otherVersions.UnionWith(list);
                continue;
            }

            try
            {
                using var downloader = await finder.GetPackageDownloaderAsync(identity, cache, _log, token).ConfigureAwait(false);
                var context = new PackageExtractionContext(PackageSaveMode.Defaultv3, XmlDocFileSaveMode.None,
                    ClientPolicyContext.GetClientPolicy(settings, _log), _log);
                await PackageExtractor.InstallFromSourceAsync(identity, downloader, pathResolver, context, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Fail(DiagnosticCodes.SupernetInstallFailed, constraintsFile,
                    $"Downloading {id} {version} from {source.Name} ({source.Source}) into {pathResolver.RootPath} failed: {FirstLine(e)}",
                    "check the disk space and permissions of the global packages folder (NUGET_PACKAGES), then build again.");
            }
            installed = InstalledFolder(pathResolver, identity)
                ?? throw Fail(DiagnosticCodes.SupernetInstallFailed, constraintsFile,
                    $"{id} {version} was downloaded from {source.Name} but is not in {pathResolver.GetInstallPath(id, version)} afterwards.",
                    "delete that folder and build again.");
            string? fromFeed = null;
            if (source.IsLocal)
            {
                try
                {
                    fromFeed = (await LocalPackageAsync(source, identity, token).ConfigureAwait(false))?.Path;
                }
                catch (Exception e) when (e is FatalProtocolException or IOException or UnauthorizedAccessException)
                {
                    // Only a later rebuild's trigger is lost; the package itself is installed.
                }
            }
            return Checked(new ResolvedSupernet(id, version, installed, source.Source)
                { FeedPackage = fromFeed, ConfigFiles = configFiles, PackageFile = pathResolver.GetPackageFilePath(id, version) }, constraintsFile);
        }

        string tried = string.Join("; ", sources.Select(s => $"{s.Name} ({s.Source})"));
        if (otherVersions.Count > 0)
            throw Fail(DiagnosticCodes.SupernetVersionNotFound, constraintsFile,
                $"Supernet package {id} has no version {version} in the sources tried ({tried}). Available: {string.Join(", ", otherVersions.Select(v => v.ToNormalizedString()))}.",
                $"set \"version\" to one of the available versions, e.g. \"{otherVersions.Max!.ToNormalizedString()}\".");
        if (unreachable.Count > 0)
            throw Fail(DiagnosticCodes.PackageSourceUnreachable, constraintsFile,
                $"Supernet package {id} {version} was not found, and these sources could not be read: {string.Join("; ", unreachable)}. Sources tried: {tried}.",
                "check the network or the feed path in nuget.config, or put the package into a local feed folder listed there.");
        throw Fail(DiagnosticCodes.SupernetPackageNotFound, constraintsFile,
            $"Supernet package {id} {version} was not found in any package source. Sources tried: {tried}.",
            "check the id in constraints.json, or add the feed that has it to nuget.config (supernet packages are named SubnetGen.Supernet.<Dataset>.<Family>).");
    }

    /// <summary>
    /// The package file itself is hashed, not the .nupkg.sha512 NuGet wrote beside it, so that a package replaced in the
    /// global packages folder is caught too. The extracted files are not compared with it (NuGet does not either).
    /// </summary>
    /// <exception cref="SubnetGenException">SNG2018 when the hashes differ or the package file is gone.</exception>
    private static void CheckPin(ResolvedSupernet resolved, string sha512, string? constraintsFile)
    {
        string version = resolved.Version.ToNormalizedString();
        if (!File.Exists(resolved.PackageFile))
            throw Fail(DiagnosticCodes.SupernetHashMismatch, constraintsFile,
                $"{resolved.Id} {version} is pinned to a SHA-512, but the global packages folder has no {Path.GetFileName(resolved.PackageFile)} in {resolved.PackageFolder} to check it against.",
                $"delete {resolved.PackageFolder} and build again: the package is then installed afresh, with its .nupkg.");
        string actual = PackageHash.Sha512(resolved.PackageFile);
        if (string.Equals(actual, sha512, StringComparison.Ordinal)) return;
        string from = resolved.DownloadedFrom is null ? "cached in the global packages folder" : "downloaded from " + resolved.DownloadedFrom;
        throw Fail(DiagnosticCodes.SupernetHashMismatch, constraintsFile,
            $"{resolved.Id} {version} ({resolved.PackageFile}, {from}) has SHA-512 {actual}, but constraints.json pins {sha512}: " +
            "these are not the bytes the project was pinned to (a feed serves another package under this id and version, or the cached one was replaced).",
            $"if this package is the one to use (a supernet you retrained and packed again), set \"sha512\": \"{actual}\" (`subnetgen pin` writes it); " +
            $"if not, delete {resolved.PackageFolder}, make nuget.config name the feed that has the pinned package, and build again.");
    }

    /// <summary>
    /// The cached package against the first local feed folder (in nuget.config order) that has the same id and version:
    /// the .nupkg.sha512 NuGet wrote beside the extracted package against the SHA-512 of the feed's file. Returns that
    /// file, or null when no local feed has the package (an http feed, or one that dropped it): the cache is then used.
    /// </summary>
    /// <exception cref="SubnetGenException">SNG2017 when they differ.</exception>
    private async Task<string?> CompareWithLocalFeedAsync(IReadOnlyList<PackageSource> sources, VersionFolderPathResolver pathResolver,
        PackageIdentity identity, string installed, string? constraintsFile, CancellationToken token)
    {
        foreach (var source in sources.Where(s => s.IsLocal))
        {
            LocalPackageInfo? local;
            try
            {
                local = await LocalPackageAsync(source, identity, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FatalProtocolException or IOException or UnauthorizedAccessException)
            {
                continue; // an unreadable feed folder cannot contradict the cache; a package it lacks is looked up there anyway
            }
            if (local is null) continue;

            string? cached = CachedHash(pathResolver, identity);
            if (cached is null) return local.Path;
            string feed = PackageHash.Sha512(local.Path);
            if (string.Equals(cached, feed, StringComparison.Ordinal)) return local.Path;

            string version = identity.Version.ToNormalizedString();
            throw Fail(DiagnosticCodes.CachedPackageDiffersFromFeed, constraintsFile,
                $"{identity.Id} {version} in the global packages folder ({installed}) is not the package {source.Name} has under that id and version " +
                $"({local.Path}; SHA-512 {Short(cached)} cached, {Short(feed)} in the feed). NuGet never looks at a feed again for a version it has " +
                "cached, so this build would get the cached package and ignore the feed's: a supernet repacked under a version used before.",
                $"pack the new supernet under a new version and name it in constraints.json (`subnetgen-train run` gives every run its own; " +
                $"`--version` or supernet.json's version sets one), or, to take the feed's package under this version, delete {installed} and build again.");
        }
        return null;
    }

    private static async Task<LocalPackageInfo?> LocalPackageAsync(PackageSource source, PackageIdentity identity, CancellationToken token)
    {
        var finder = await Repository.Factory.GetCoreV3(source).GetResourceAsync<FindLocalPackagesResource>(token).ConfigureAwait(false);
        return finder?.GetPackage(identity, NullLogger.Instance, token);
    }

    /// <summary>The base64 SHA-512 of the cached .nupkg: NuGet's .nupkg.sha512 beside it, else the file itself; null with neither.</summary>
    private static string? CachedHash(VersionFolderPathResolver pathResolver, PackageIdentity identity)
    {
        string hashFile = pathResolver.GetHashPath(identity.Id, identity.Version);
        if (File.Exists(hashFile)) return File.ReadAllText(hashFile).Trim();
        string nupkg = pathResolver.GetPackageFilePath(identity.Id, identity.Version);
        return File.Exists(nupkg) ? PackageHash.Sha512(nupkg) : null;
    }

    private static string Short(string base64Hash) => base64Hash.Length > 16 ? base64Hash.Substring(0, 16) + "…" : base64Hash;

    /// <summary>The package folder when restore's marker (.nupkg.metadata) says extraction completed.</summary>
    private static string? InstalledFolder(VersionFolderPathResolver resolver, PackageIdentity identity) =>
        File.Exists(resolver.GetNupkgMetadataPath(identity.Id, identity.Version))
            ? resolver.GetInstallPath(identity.Id, identity.Version)
            : null;

    /// <summary>Enabled sources in nuget.config order; with packageSourceMapping, only those mapped to the id.</summary>
    private static IReadOnlyList<PackageSource> Sources(ISettings settings, string id)
    {
        var sources = new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled).ToList();
        var mapping = PackageSourceMapping.GetPackageSourceMapping(settings);
        if (!mapping.IsEnabled) return sources;
        var allowed = new HashSet<string>(mapping.GetConfiguredPackageSources(id), StringComparer.OrdinalIgnoreCase);
        return sources.Where(s => allowed.Contains(s.Name)).ToList();
    }

    private static ResolvedSupernet Checked(ResolvedSupernet resolved, string? constraintsFile)
    {
        if (!File.Exists(Path.Combine(resolved.BundleFolder, "supernet.json")))
            throw Fail(DiagnosticCodes.NotASupernetPackage, constraintsFile,
                $"Package {resolved.Id} {resolved.Version} ({resolved.PackageFolder}) has no supernet/supernet.json: it is not a SubnetGen supernet package.",
                "reference a package made by `subnetgen pack` or `subnetgen-train`, named SubnetGen.Supernet.<Dataset>.<Family>.");
        return resolved;
    }

    private static string FirstLine(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner.Message.Length == 0) inner = inner.InnerException;
        string text = inner.Message;
        int newline = text.IndexOf('\n');
        return (newline < 0 ? text : text.Substring(0, newline)).Trim();
    }

    private static SubnetGenException Fail(string code, string? file, string message, string fix) =>
        new(new Diagnostic(code, message, file, 0, 0, fix));
}
