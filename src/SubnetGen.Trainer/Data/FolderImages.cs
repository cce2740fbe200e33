using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Imaging;
using SubnetGen.Runtime;

namespace SubnetGen.Trainer.Data;

/// <summary>
/// A folder dataset as decoded: one sub-folder per class (ordinal name order = label order, the folder names are the
/// class names), PNG/JPEG/BMP/TGA images of any size decoded with StbImageSharp — grey images as Gray8, colour ones as
/// Rgb24 (alpha dropped, as the app's preprocessing ignores it). Files with other extensions are skipped. Everything
/// is read and checked before training starts: too few classes, a class without a readable image and an image that
/// cannot be decoded are coded errors naming the folder or the file.
/// </summary>
internal sealed record FolderImages(IReadOnlyList<string> Classes, IReadOnlyList<SourceImage> Images, int[] Labels)
{
    /// <summary>True when <paramref name="folder"/> has sub-folders and no IDX files: the shape of an image folder.</summary>
    public static bool Looks(string folder) => Directory.GetDirectories(folder).Length > 0;

    /// <summary>Images per class, in class order.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[Classes.Count];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>Whether any image has colour (the default channel count is 3 then, else 1).</summary>
    public bool AnyColour => Images.Any(i => i.Format != PixelFormat.Gray8);

    public static FolderImages Read(string folder)
    {
        var classes = Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
            throw Error(DiagnosticCodes.TooFewClasses, $"{folder} has {classes.Length} class folder{(classes.Length == 1 ? "" : "s")}; a classifier needs at least two.", folder,
                "put each class's images in a sub-folder named after the class (e.g. cats/, dogs/), at least two of them.");
        var images = new List<SourceImage>();
        var labels = new List<int>();
        for (int c = 0; c < classes.Length; c++)
        {
            string classFolder = Path.Combine(folder, classes[c]);
            var files = Directory.GetFiles(classFolder)
                .Where(ImageFile.IsImage)
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0)
                throw Error(DiagnosticCodes.EmptyClass, $"Class folder {classFolder} holds no PNG, JPEG, BMP or TGA image.", classFolder,
                    "add the class's images, or remove the folder.");
            foreach (var file in files)
            {
                images.Add(Decode(file));
                labels.Add(c);
            }
        }
        return new FolderImages(classes, images, labels.ToArray());
    }

    private static SourceImage Decode(string file)
    {
        try
        {
            var (pixels, width, height, format) = ImageFile.Decode(file);
            return new SourceImage(pixels, width, height, format);
        }
        catch (Exception e) when (e is not SubnetGenException and not OutOfMemoryException)
        {
            throw Error(DiagnosticCodes.UnreadableImage, $"{file} cannot be decoded: {e.Message}.", file,
                "re-save it as PNG or JPEG, or remove it from the folder.");
        }
    }

    public static SubnetGenException Error(string code, string message, string? file, string fix) =>
        new(new Diagnostic(code, message, file, 0, 0, fix));

    /// <summary>The median of the images' shorter sides.</summary>
    public int MedianShorterSide()
    {
        var sides = Images.Select(i => Math.Min(i.Width, i.Height)).OrderBy(s => s).ToArray();
        return sides[sides.Length / 2];
    }

    /// <summary>"4 classes: bag 100, coat 98, …"; and, when the largest class has over twice the images of the smallest, what that does.</summary>
    public string Describe()
    {
        var counts = CountPerClass();
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{Classes.Count} classes: {string.Join(", ", Classes.Select((c, i) => $"{c} {counts[i]}"))}");
        int min = counts.Min(), max = counts.Max();
        if (max > 2 * min)
            text += string.Create(CultureInfo.InvariantCulture,
                $". Imbalanced: {Classes[Array.IndexOf(counts, max)]} has {max / (double)min:0.#}× the images of {Classes[Array.IndexOf(counts, min)]}; accuracy will favour the larger classes (add images to the small ones to even it out)");
        return text;
    }
}
