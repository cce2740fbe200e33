using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using NuGet.Packaging;
using NuGet.Versioning;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Packaging;

/// <summary>What the packer read from a bundle's supernet.json.</summary>
public sealed record SupernetPackageInfo(string Id, NuGetVersion Version, string Family, bool Trained, string? Dataset, string PackagePath)
{
    /// <summary>The constraints.json entry that builds this package, as the packing commands print it.</summary>
    public string ConstraintsHint() => ConstraintsHint(Id, Version.ToNormalizedString());

    /// <summary>"In constraints.json: "supernet": { "id": "…", "version": "…" }" — versions are matched exactly, prereleases too.</summary>
    public static string ConstraintsHint(string id, string version) =>
        $"In constraints.json: \"supernet\": {{ \"id\": \"{id}\", \"version\": \"{version}\" }}";
}

/// <summary>
/// Bundle folder → content package <c>SubnetGen.Supernet.&lt;Dataset&gt;.&lt;Family&gt;.&lt;version&gt;.nupkg</c>:
/// the bundle files (with the optional <c>bnstats.safetensors</c> when present) under <c>supernet/</c>, a README with the provenance and accuracies
/// followed by the training report (the trainer writes <c>&lt;out&gt;/training-report.md</c> beside <c>&lt;out&gt;/bundle</c>), no lib/.
/// The same bundle gives the same files (NuGet stamps the zip entries with the time of packing, so not the same bytes).
/// </summary>
public static class SupernetPackageWriter
{
    /// <summary>Files every bundle has. Only these and <see cref="SupernetBundle.OptionalFileNames"/> are packed, so nothing stray ships.</summary>
    public static readonly string[] BundleFiles = SupernetBundle.FileNames;

    public const string TrainingReportFileName = "training-report.md";

    /// <param name="reportPath">The training report to put into the README; by default <c>training-report.md</c> beside the bundle folder, when there is one.</param>
    public static SupernetPackageInfo Write(string bundleFolder, string outputFolder, string? reportPath = null)
    {
        reportPath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bundleFolder).TrimEnd(Path.DirectorySeparatorChar))!, TrainingReportFileName);
        string manifestPath = Path.Combine(bundleFolder, "supernet.json");
        foreach (var name in BundleFiles)
        {
            string path = Path.Combine(bundleFolder, name);
            if (!File.Exists(path))
                throw new SubnetGenException(new Diagnostic(DiagnosticCodes.BundleIncomplete,
                    $"The bundle folder {bundleFolder} has no {name}.", path, 0, 0,
                    $"a supernet bundle needs {string.Join(", ", BundleFiles)}; make one with `subnetgen make-test-supernet` or `subnetgen-train`."));
        }

        // Load the whole bundle: a package must never ship a bundle the task would refuse.
        var bundle = SupernetBundle.Load(bundleFolder);
        var manifest = bundle.Manifest;
        string id = manifest.Id;
        var version = NuGetVersion.Parse(manifest.Version);
        string family = FormatNames.Of(manifest.Family);
        bool trained = manifest.Trained;
        string? dataset = manifest.Provenance.Dataset;
        using var manifestJson = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        var root = manifestJson.RootElement;

        var builder = new PackageBuilder(deterministic: true)
        {
            Id = id,
            Version = version,
            Description = trained
                ? $"SubnetGen supernet ({family}) trained on {dataset ?? "an unnamed dataset"}. Referenced from constraints.json; the SubnetGen build task fetches it and extracts subnets from it."
                : $"SubnetGen {family} supernet with untrained (random) weights, for testing the build pipeline only: its predictions are meaningless.",
            Readme = "README.md",
        };
        builder.Authors.Add("SubnetGen contributors");
        builder.Tags.Add("subnetgen");
        builder.Tags.Add("supernet");
        builder.Tags.Add(family);
        builder.LicenseMetadata = new LicenseMetadata(LicenseType.Expression, "MIT",
            NuGet.Packaging.Licenses.NuGetLicenseExpression.Parse("MIT"), null, LicenseMetadata.CurrentVersion);

        foreach (var name in BundleFiles)
            builder.AddFiles(bundleFolder, name, "supernet/" + name);
        // Optional files ship when present; Load above has checked them.
        foreach (var name in SupernetBundle.OptionalFileNames)
            if (File.Exists(Path.Combine(bundleFolder, name)))
                builder.AddFiles(bundleFolder, name, "supernet/" + name);

        string readme = Readme(id, version, family, trained, root, bundle.BatchNormStatistics, bundle.Calibration.Count, bundle.Promise);
        if (File.Exists(reportPath))
            readme += "\n## Training report\n\n" + DemoteHeadings(File.ReadAllText(reportPath, Encoding.UTF8));
        builder.Files.Add(new InMemoryFile("README.md", Encoding.UTF8.GetBytes(readme)));

        var bytes = new MemoryStream();
        builder.Save(bytes);
        Directory.CreateDirectory(outputFolder);
        string output = PackagePath(outputFolder, id, version);
        // A NuGet version is immutable: every machine that restored it keeps its copy, so other content under the same
        // version would reach some builds and not others. The same content again is fine (and left as it is).
        var info = new SupernetPackageInfo(id, version, family, trained, dataset, output);
        if (File.Exists(output))
        {
            if (SameEntries(File.ReadAllBytes(output), bytes.ToArray())) return info;
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.PackageVersionExists,
                $"{output} already exists with other content: {id} {version.ToNormalizedString()} has been packed before from another bundle.", output, 0, 0,
                "give this bundle a new version (`subnetgen-train run … --version <new>`, or the version in its supernet.json), " +
                "or, if no build has restored the old package yet, delete it first."));
        }
        // Written beside the target and renamed, so a killed pack never leaves half a package in the feed.
        string temp = output + ".tmp";
        File.WriteAllBytes(temp, bytes.ToArray());
        File.Move(temp, output, overwrite: true);
        return info;
    }

    /// <summary>Where a package of this id and version lies in a feed folder (the version normalised, as NuGet names it).</summary>
    public static string PackagePath(string feed, string id, NuGetVersion version) => Path.Combine(feed, $"{id}.{version.ToNormalizedString()}.nupkg");

    /// <summary>
    /// Whether two packages hold the same files with the same bytes. Not the zip bytes: NuGet stamps each entry with the
    /// time of packing (its deterministic mode was reverted in 5.3), so one bundle packed a minute apart differs there.
    /// </summary>
    private static bool SameEntries(byte[] a, byte[] b)
    {
        using var zipA = new ZipArchive(new MemoryStream(a), ZipArchiveMode.Read);
        using var zipB = new ZipArchive(new MemoryStream(b), ZipArchiveMode.Read);
        var names = zipA.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (!names.SequenceEqual(zipB.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal), StringComparer.Ordinal)) return false;
        foreach (var name in names)
            if (!Content(zipA.GetEntry(name)!).AsSpan().SequenceEqual(Content(zipB.GetEntry(name)!))) return false;
        return true;

        static byte[] Content(ZipArchiveEntry entry)
        {
            using var stream = entry.Open();
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    private static string Readme(string id, NuGetVersion version, string family, bool trained, JsonElement root, BatchNormStatisticsFile? statistics, int calibrationImages,
        PromiseFile? promise)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(id).Append(' ').Append(version.ToNormalizedString()).Append("\n\n");
        text.Append(trained
            ? "A trained SubnetGen supernet. "
            : "**Untrained**: random weights, made by `subnetgen make-test-supernet` to exercise the build pipeline. Predictions are meaningless. ");
        text.Append("Family: ").Append(family).Append(".\n\n");
        if (statistics is not null)
            text.Append(string.Format(CultureInfo.InvariantCulture,
                "Ships BN statistics recalibrated for each of {0} configs on {1} calibration images (`bnstats.safetensors`): the build extracts those subnets with their own statistics.\n\n",
                statistics.Configs.Count, statistics.CalibrationImages));
        else if (calibrationImages > 0)
            text.Append(string.Format(CultureInfo.InvariantCulture,
                "Ships {0} calibration images (`calibration.bin`): the build recalibrates the BN statistics of the subnet it extracts on them (about a second per build).\n\n",
                calibrationImages));
        if (promise is not null)
            text.Append(string.Format(CultureInfo.InvariantCulture,
                "Ships each of {0} configs' accuracy on {1:#,0} held-out images (`promise.json`: {2}): a build promises its pick's accuracy on them, with a 95 % interval.\n\n",
                promise.Correct.Count, promise.Images, promise.Split));
        text.Append("Reference it from `constraints.json`:\n\n```json\n\"supernet\": { \"id\": \"").Append(id)
            .Append("\", \"version\": \"").Append(version.ToNormalizedString()).Append("\" }\n```\n\n");
        if (root.TryGetProperty("provenance", out var provenance))
        {
            text.Append("## Provenance\n\n| key | value |\n|---|---|\n");
            foreach (var property in provenance.EnumerateObject())
                text.Append("| ").Append(property.Name).Append(" | ").Append(property.Value.ToString()).Append(" |\n");
            text.Append('\n');
        }
        if (root.TryGetProperty("accuracy", out var accuracy))
        {
            text.Append("## Measured accuracy\n\n| subnet | accuracy |\n|---|---|\n");
            foreach (var property in accuracy.EnumerateObject())
            {
                string value = property.Value.ValueKind == JsonValueKind.Number
                    ? (property.Value.GetDouble() * 100).ToString("F2", CultureInfo.InvariantCulture) + " %"
                    : property.Value.ValueKind == JsonValueKind.Null ? "not measured" : property.Value.ToString();
                text.Append("| ").Append(property.Name).Append(" | ").Append(value).Append(" |\n");
            }
        }
        return text.ToString();
    }

    // The report's own headings become subsections of "Training report".
    private static string DemoteHeadings(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].StartsWith("#", StringComparison.Ordinal)) lines[i] = "##" + lines[i];
        return string.Join("\n", lines);
    }

    /// <summary>A package file whose bytes are in memory (the generated README).</summary>
    private sealed class InMemoryFile : IPackageFile
    {
        private readonly byte[] _bytes;

        public InMemoryFile(string path, byte[] bytes)
        {
            Path = path;
            _bytes = bytes;
        }

        public string Path { get; }
        public string? EffectivePath => Path;
        public NuGet.Frameworks.NuGetFramework? NuGetFramework => null;
        [Obsolete("Use NuGetFramework.")] public System.Runtime.Versioning.FrameworkName? TargetFramework => null;
        public DateTimeOffset LastWriteTime => new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public Stream GetStream() => new MemoryStream(_bytes, writable: false);
    }
}
