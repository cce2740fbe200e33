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
}

/// <summary>
/// Finds a supernet content package the way restore would: the project's nuget.config chain
/// (loaded from the absolute project folder — a relative one silently skips the project's config),
/// the global packages folder first (NUGET_PACKAGES honoured), else the configured sources in order,
/// filtered by packageSourceMapping, installed into the global packages folder with PackageExtractor.
/// </summary>
public sealed class SupernetPackageResolver
{
    private readonly ILogger _log;

    public SupernetPackageResolver(ILogger log) => _log = log;

    public ResolvedSupernet Resolve(string projectDirectory, string id, string versionText, string? constraintsFile, CancellationToken token) =>
        ResolveAsync(projectDirectory, id, versionText, constraintsFile, token).GetAwaiter().GetResult();

    public async Task<ResolvedSupernet> ResolveAsync(string projectDirectory, string id, string versionText, string? constraintsFile, CancellationToken token)
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

        string? installed = InstalledFolder(pathResolver, identity);
        if (installed is not null) return Checked(new ResolvedSupernet(id, version, installed, null), constraintsFile);

        var sources = Sources(settings, id);
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
            return Checked(new ResolvedSupernet(id, version, installed, source.Source), constraintsFile);
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
