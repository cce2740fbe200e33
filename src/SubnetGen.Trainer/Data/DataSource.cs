using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;

namespace SubnetGen.Trainer.Data;

/// <summary>
/// How an image folder becomes training images: the channel count (null: 3 when any image has colour, else 1) and
/// the input size (null: the median of the images' shorter sides, within 16–<see cref="DefaultMaxSide"/>, square).
/// </summary>
internal sealed record FolderOptions(int? Channels = null, int? Height = null, int? Width = null)
{
    /// <summary>The default size's upper end: larger inputs train much slower on a CPU (pass --size up to 224).</summary>
    public const int DefaultMaxSide = 64;

    public static readonly FolderOptions Auto = new();

    /// <summary>The geometry a bundle was trained with, to rebuild its splits.</summary>
    public static FolderOptions Of(SupernetSpec spec) => new(spec.Input.Channels, spec.Input.Height, spec.Input.Width);

    /// <summary>--size: "auto", "N" (N×N) or "HxW".</summary>
    public static (int? Height, int? Width) ParseSize(string text)
    {
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase)) return (null, null);
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0))
        {
            int h = int.Parse(parts[0], CultureInfo.InvariantCulture);
            return (h, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : h);
        }
        throw FolderImages.Error(DiagnosticCodes.TrainerOptionInvalid, $"--size {text} is not auto, N or HxW.", null, "write e.g. --size 48 or --size 48x64.");
    }

    /// <summary>--resolutions: "auto" (null: the default rule) or a comma list of pixel sizes.</summary>
    public static IReadOnlyList<int>? ParseResolutions(string text)
    {
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
                throw FolderImages.Error(DiagnosticCodes.ResolutionsInvalid, $"--resolutions {text}: \"{part}\" is not a number of pixels.", null,
                    "write auto or a comma list such as 48,56,64.");
            values.Add(value);
        }
        if (values.Count == 0) throw FolderImages.Error(DiagnosticCodes.ResolutionsInvalid, "--resolutions is empty.", null, "write auto or a comma list such as 48,56,64.");
        return values;
    }

    /// <summary>--channels: "auto", 1 or 3.</summary>
    public static int? ParseChannels(string text) => text switch
    {
        "auto" => null,
        "1" => 1,
        "3" => 3,
        _ => throw FolderImages.Error(DiagnosticCodes.TrainerOptionInvalid, $"--channels {text} is not auto, 1 or 3.", null,
            "write --channels 1 for grey models, 3 for colour, or auto (3 when any image has colour)."),
    };
}

/// <summary>Resolves --data to train/validation/test splits and the supernet structure that fits them.</summary>
internal static class DataSource
{
    public static DatasetSplits Load(string data, int validationCount, int seed, FolderOptions? folder = null) =>
        Load(data, validationCount, seed, folder ?? FolderOptions.Auto, out _);

    /// <param name="description">For image folders, the classes and their image counts (<see cref="FolderImages.Describe"/>).</param>
    public static DatasetSplits Load(string data, int validationCount, int seed, FolderOptions folder, out string? description)
    {
        description = null;
        if (string.Equals(data, "fashion-mnist", StringComparison.OrdinalIgnoreCase))
            data = FashionMnist.DefaultFolder;
        if (!Directory.Exists(data))
            throw FolderImages.Error(DiagnosticCodes.DataNotFound, $"--data {data}: no such folder.", data,
                "use fashion-mnist (Debian package dataset-fashion-mnist), a folder with Fashion-MNIST IDX files, or an image folder with one sub-folder per class (or train/ and test/ of those).");
        if (FashionMnist.IsPresent(data))
            return DatasetSplits.Create("fashion-mnist", FashionMnist.LoadTrain(data), FashionMnist.LoadTest(data), validationCount, seed);
        if (!FolderImages.Looks(data))
            throw FolderImages.Error(DiagnosticCodes.DataNotFound, $"--data {data} holds neither Fashion-MNIST's IDX files nor class folders.", data,
                "put each class's images in a sub-folder named after the class (or train/ and test/ folders of those), or point --data at the IDX files.");

        string name = Path.GetFileName(Path.GetFullPath(data).TrimEnd(Path.DirectorySeparatorChar));
        string trainFolder = Path.Combine(data, "train"), testFolder = Path.Combine(data, "test");
        if (Directory.Exists(trainFolder) && Directory.Exists(testFolder))
        {
            var train = FolderImages.Read(trainFolder);
            var test = FolderImages.Read(testFolder);
            if (!train.Classes.SequenceEqual(test.Classes, StringComparer.Ordinal))
                throw FolderImages.Error(DiagnosticCodes.TrainerOptionInvalid, $"{trainFolder} and {testFolder} have different class folders.", data,
                    "give train/ and test/ the same class folders.");
            description = train.Describe();
            var (h, w, c) = Geometry(train, folder);
            return DatasetSplits.Create(name, ToSet(train, h, w, c), ToSet(test, h, w, c), Math.Min(validationCount, train.Images.Count / 10), seed);
        }

        // One folder of class folders: hold a seeded tenth out as the test split.
        var all = FolderImages.Read(data);
        description = all.Describe();
        var (height, width, channels) = Geometry(all, folder);
        var set = ToSet(all, height, width, channels);
        var order = DatasetSplits.Permutation(set.Count, new Random(seed + 1));
        int testCount = Math.Max(1, set.Count / 10);
        var testSet = set.Subset(order.Take(testCount).OrderBy(i => i).ToArray());
        var trainSet = set.Subset(order.Skip(testCount).OrderBy(i => i).ToArray());
        return DatasetSplits.Create(name, trainSet, testSet, Math.Min(validationCount, trainSet.Count / 10), seed);
    }

    private static (int Height, int Width, int Channels) Geometry(FolderImages images, FolderOptions folder)
    {
        int side = Math.Clamp(images.MedianShorterSide(), DefaultSupernets.MinInputSize, FolderOptions.DefaultMaxSide);
        return (folder.Height ?? side, folder.Width ?? folder.Height ?? side, folder.Channels ?? (images.AnyColour ? 3 : 1));
    }

    private static ImageSet ToSet(FolderImages images, int height, int width, int channels) =>
        ImageSet.FromOriginals(images.Images, images.Labels, height, width, channels, images.Classes);

    /// <summary>
    /// The family's structure for the dataset's geometry, normalisation and class count (Fashion-MNIST: the released one),
    /// with elastic resolution over <paramref name="resolutions"/> (null: <see cref="DefaultSupernets.DefaultResolutions"/>).
    /// </summary>
    public static SupernetSpec Spec(Family family, DatasetSplits splits, double widthMultiplier = 1.0, IReadOnlyList<int>? resolutions = null)
    {
        var train = splits.Train;
        var chosen = resolutions ?? DefaultSupernets.DefaultResolutions(Math.Min(train.Height, train.Width));
        if (chosen.Any(r => r < DefaultSupernets.MinInputSize || r > Math.Min(train.Height, train.Width)))
            throw FolderImages.Error(DiagnosticCodes.ResolutionsInvalid,
                $"--resolutions {string.Join(",", chosen)} go beyond what the training images allow ({DefaultSupernets.MinInputSize}–{Math.Min(train.Height, train.Width)} pixels on the shorter side).", null,
                "list resolutions no larger than the training size (--size), e.g. --resolutions 48,56,64 for 64-pixel images, or leave --resolutions out.");
        if (splits.Name == "fashion-mnist" && widthMultiplier == 1.0 && chosen.Count == 1) return DefaultSupernets.FashionMnist(family);
        var mean = new float[train.Channels];
        var std = new float[train.Channels];
        for (int c = 0; c < train.Channels; c++)
        {
            double sum = 0, sq = 0;
            long n = 0;
            for (int i = c; i < train.Pixels.Length; i += train.Channels, n++)
            {
                double v = train.Pixels[i] / 255.0;
                sum += v;
                sq += v * v;
            }
            mean[c] = (float)(sum / n);
            std[c] = (float)Math.Sqrt(Math.Max(sq / n - (sum / n) * (sum / n), 1e-12));
        }
        var input = new InputSpec(train.Height, train.Width, train.Channels, mean, std);
        try
        {
            return DefaultSupernets.For(family, input, train.ClassNames.Count, widthMultiplier, chosen);
        }
        catch (ArgumentException e)
        {
            throw FolderImages.Error(DiagnosticCodes.GeometryUnsupported, e.Message, null,
                string.Create(CultureInfo.InvariantCulture,
                    $"train at {DefaultSupernets.MinInputSize}–{DefaultSupernets.MaxInputSize} pixels a side (--size), with 1 or 3 channels (--channels), {DefaultSupernets.MinClasses}–{DefaultSupernets.MaxClasses} classes and a --width-multiplier of 0.25–4."));
        }
    }

    /// <summary>PascalCase dataset name for package ids: fashion-mnist → FashionMnist.</summary>
    public static string PackageName(string dataset) =>
        string.Concat(dataset.Split(new[] { '-', '_', ' ', '.' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
}
