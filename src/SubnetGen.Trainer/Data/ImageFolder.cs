using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using StbImageSharp;

namespace SubnetGen.Trainer.Data;

/// <summary>
/// A custom dataset: one sub-folder per class (ordinal name order = label order), PNG/JPEG/BMP/TGA
/// images decoded with StbImageSharp. All images must have the first image's size; grey or RGB.
/// </summary>
internal static class ImageFolder
{
    private static readonly string[] Extensions = { ".png", ".jpg", ".jpeg", ".bmp", ".tga" };

    public static ImageSet Load(string folder, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentException("Image folders are loaded as 1 (grey) or 3 (RGB) channels.");
        var classes = Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (classes.Length < 2) throw new InvalidDataException($"{folder} needs one sub-folder per class (at least two).");
        var pixels = new List<byte>();
        var labels = new List<byte>();
        int height = 0, width = 0;
        for (int c = 0; c < classes.Length; c++)
        {
            var files = Directory.GetFiles(Path.Combine(folder, classes[c]))
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (var file in files)
            {
                using var stream = File.OpenRead(file);
                var image = ImageResult.FromStream(stream, channels == 1 ? ColorComponents.Grey : ColorComponents.RedGreenBlue);
                if (height == 0) (height, width) = (image.Height, image.Width);
                if (image.Height != height || image.Width != width)
                    throw new InvalidDataException($"{file} is {image.Width}×{image.Height}; the dataset's images are {width}×{height}. Resize them all to one size.");
                pixels.AddRange(image.Data);
                labels.Add(checked((byte)c));
            }
        }
        if (labels.Count == 0) throw new InvalidDataException($"{folder} has no PNG/JPEG images in its class folders.");
        return new ImageSet(pixels.ToArray(), labels.ToArray(), height, width, channels, classes);
    }
}
