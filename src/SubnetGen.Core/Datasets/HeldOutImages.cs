using System;
using System.IO;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.IO;

namespace SubnetGen.Core.Datasets;

/// <summary>
/// <c>held-out.json</c>, beside the images <c>subnetgen-train promise --export-images</c> writes: which bundle they were
/// held out of and which part of its validation split they are. <c>subnetgen promise</c> measures the generated models
/// on them and records <see cref="Split"/> in <c>promise.json</c>; it refuses images written for another bundle, whose
/// "held-out" images could be ones that bundle trained on.
/// </summary>
public sealed record HeldOutImages(string Supernet, string Version, string Split, int Images)
{
    public const string FileName = "held-out.json";
    public const int CurrentFormatVersion = 1;

    private const string Fix = "write the images again with `subnetgen-train promise --bundle <folder> --data <data> --export-images <folder>` (docs/training.md).";

    public void Write(string folder) => AtomicFile.Write(Path.Combine(folder, FileName), FormatJson.Serialize(new Json
    {
        FormatVersion = CurrentFormatVersion,
        Supernet = Supernet,
        Version = Version,
        Split = Split,
        Images = Images,
    }));

    /// <exception cref="SubnetGenException">SNG4022: the file is missing or invalid.</exception>
    public static HeldOutImages Read(string folder)
    {
        string file = Path.Combine(folder, FileName);
        if (!File.Exists(file))
            throw FormatJson.Error(DiagnosticCodes.HeldOutImagesInvalid, $"{folder} has no {FileName}, so nothing says these images were held out of the bundle's training.", file, Fix);
        byte[] utf8 = File.ReadAllBytes(file);
        FormatJson.CheckVersion(utf8, file, CurrentFormatVersion, DiagnosticCodes.HeldOutImagesInvalid);
        var json = FormatJson.Deserialize<Json>(utf8, file, DiagnosticCodes.HeldOutImagesInvalid, Fix);
        if (string.IsNullOrWhiteSpace(json.Supernet) || string.IsNullOrWhiteSpace(json.Version) || string.IsNullOrWhiteSpace(json.Split) || json.Images <= 0)
            throw FormatJson.Error(DiagnosticCodes.HeldOutImagesInvalid, $"{FileName}: \"supernet\", \"version\" and \"split\" must be given and \"images\" be positive.", file, Fix);
        return new HeldOutImages(json.Supernet!, json.Version!, json.Split!, json.Images);
    }

    /// <summary>Refuses images held out of another supernet than <paramref name="manifest"/>'s (any version of the same id is its weights re-released).</summary>
    /// <exception cref="SubnetGenException">SNG4022.</exception>
    public void RequireFor(SupernetManifest manifest, string folder)
    {
        if (!string.Equals(Supernet, manifest.Id, StringComparison.Ordinal))
            throw FormatJson.Error(DiagnosticCodes.HeldOutImagesInvalid,
                $"The images in {folder} were held out of {Supernet} {Version}, not {manifest.Id}: they may include images {manifest.Id} trained on.",
                Path.Combine(folder, FileName), "export the held-out images of this bundle: `subnetgen-train promise --bundle <folder> --data <data> --export-images <folder>`.");
    }

    internal sealed class Json
    {
        public int FormatVersion { get; set; }
        public string? Supernet { get; set; }
        public string? Version { get; set; }
        public string? Split { get; set; }
        public int Images { get; set; }
    }
}
