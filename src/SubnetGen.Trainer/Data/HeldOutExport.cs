using System;
using System.Globalization;
using System.IO;
using System.Linq;
using StbImageWriteSharp;
using SubnetGen.Core.Datasets;
using SubnetGen.Runtime;

namespace SubnetGen.Trainer.Data;

/// <summary>
/// Writes held-out images where <c>subnetgen promise</c> reads test images: fixed-size grey sets (Fashion-MNIST) as IDX
/// files, image-folder sets as their decoded originals in PNG (lossless), one folder per class named as the class — so
/// the app's preprocessing sees the same pixels the trainer did. <c>held-out.json</c> says what they are. The folder
/// appears complete or not at all.
/// </summary>
internal static class HeldOutExport
{
    public static void Write(string folder, ImageSet images, HeldOutImages description)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new ArgumentException($"--export-images {folder} already holds files; name a new or empty folder.");
        string staging = folder.TrimEnd(Path.DirectorySeparatorChar) + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        try
        {
            if (images.Originals is null && images.Channels == 1) WriteIdx(staging, images);
            else WritePng(staging, images);
            description.Write(staging);
            if (Directory.Exists(folder)) Directory.Delete(folder);
            Directory.Move(staging, folder);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static void WriteIdx(string folder, ImageSet images)
    {
        IdxFile.Write(Path.Combine(folder, IdxFile.TestImagesFile), images.Pixels, images.Count, images.Height, images.Width);
        IdxFile.Write(Path.Combine(folder, IdxFile.TestLabelsFile), images.Labels.Select(l => checked((byte)l)).ToArray(), images.Count);
    }

    private static void WritePng(string folder, ImageSet images)
    {
        var invalid = Path.GetInvalidFileNameChars();
        foreach (string name in images.ClassNames)
            if (name.Length == 0 || name.IndexOfAny(invalid) >= 0 || name is "." or "..")
                throw new ArgumentException($"Class \"{name}\" cannot name a folder; its images cannot be written as a class folder.");
        var writer = new ImageWriter();
        for (int i = 0; i < images.Count; i++)
        {
            var (pixels, width, height, grey) = images.Originals is { } originals
                ? (originals[i].Pixels, originals[i].Width, originals[i].Height, originals[i].Format == PixelFormat.Gray8)
                : (images.Image(i).ToArray(), images.Width, images.Height, images.Channels == 1);
            string classFolder = Path.Combine(folder, images.ClassNames[images.Labels[i]]);
            Directory.CreateDirectory(classFolder);
            using var stream = File.Create(Path.Combine(classFolder, i.ToString("D6", CultureInfo.InvariantCulture) + ".png"));
            writer.WritePng(pixels, width, height, grey ? ColorComponents.Grey : ColorComponents.RedGreenBlue, stream);
        }
    }
}
