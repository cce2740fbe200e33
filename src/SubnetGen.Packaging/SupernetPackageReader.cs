using System;
using System.IO;
using System.IO.Compression;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Packaging;

/// <summary>The way back from <see cref="SupernetPackageWriter"/>: a supernet package's <c>supernet/</c> files as a bundle folder.</summary>
public static class SupernetPackageReader
{
    /// <summary>Where the writer puts the bundle files inside the .nupkg.</summary>
    public const string BundleFolder = "supernet/";

    /// <summary>
    /// Runs <paramref name="use"/> on a bundle folder: <paramref name="bundleOrPackage"/> itself, or, for a .nupkg, its bundle
    /// unpacked into a temporary folder that is deleted afterwards.
    /// </summary>
    public static T WithBundleFolder<T>(string bundleOrPackage, Func<string, T> use)
    {
        if (!(File.Exists(bundleOrPackage) && bundleOrPackage.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase)))
            return use(bundleOrPackage);
        string unpacked = Path.Combine(Path.GetTempPath(), "subnetgen-bundle-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        try { return use(ExtractBundle(bundleOrPackage, unpacked)); }
        finally { if (Directory.Exists(unpacked)) Directory.Delete(unpacked, recursive: true); }
    }

    /// <summary>Unpacks the bundle of <paramref name="package"/> (a .nupkg) into <paramref name="folder"/>, created if missing; returns the folder.</summary>
    public static string ExtractBundle(string package, string folder)
    {
        if (!File.Exists(package))
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.FormatFileMissing, $"{package} does not exist.", package, 0, 0,
                "pass the path of a supernet .nupkg (subnetgen-train pack writes one)."));
        Directory.CreateDirectory(folder);
        int files = 0;
        using (var zip = ZipFile.OpenRead(package))
        {
            foreach (var entry in zip.Entries)
            {
                // Only files directly in supernet/: nothing a crafted entry name could place outside the folder.
                if (!entry.FullName.StartsWith(BundleFolder, StringComparison.Ordinal) || entry.Name.Length == 0
                    || entry.FullName.Length != BundleFolder.Length + entry.Name.Length)
                    continue;
                entry.ExtractToFile(Path.Combine(folder, entry.Name), overwrite: true);
                files++;
            }
        }
        if (files == 0)
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(package)} has no {BundleFolder} folder: it is not a SubnetGen supernet package.",
                package, 0, 0, "pass a package written by subnetgen-train pack or subnetgen pack."));
        return folder;
    }
}
