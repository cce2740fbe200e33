using System;
using System.Collections.Generic;
using System.IO;
using StbImageWriteSharp;
using SubnetGen.Core.Datasets;

namespace SubnetGen.TestSupport;

/// <summary>
/// Image folders made from real Fashion-MNIST images (Debian's dataset-fashion-mnist): each image enlarged to a size
/// of its own (bilinear), grey or tinted colour, written as PNG into one sub-folder per class — the shape of a user's
/// own dataset, for tests of the path from an image folder to a compiled-in model.
/// </summary>
public static class FashionMnistPngFolder
{
    public const string DatasetFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Folder names of the ten classes (label order).</summary>
    public static readonly string[] ClassFolders = { "tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot" };

    /// <summary>A written image: its file and what went into it.</summary>
    public sealed record Written(string Path, int Label, int Width, int Height, bool Colour);

    /// <summary>
    /// Writes the first <paramref name="perClass"/> images of each class in <paramref name="classes"/>, taken from
    /// <paramref name="split"/> ("train" or "t10k") from image <paramref name="skip"/> on, each at a random size of
    /// <paramref name="minSide"/>–<paramref name="maxSide"/> a side (not necessarily square), colour when
    /// <paramref name="colour"/> (a random tint per image), to <paramref name="folder"/>/&lt;class&gt;/.
    /// </summary>
    public static IReadOnlyList<Written> Write(string folder, IReadOnlyList<int> classes, int perClass, int minSide, int maxSide, bool colour,
        int seed, string split = "train", int skip = 0)
    {
        var (images, labels) = Load(split);
        var random = new Random(seed);
        var written = new List<Written>();
        var counts = new Dictionary<int, int>();
        foreach (int c in classes)
        {
            counts[c] = 0;
            Directory.CreateDirectory(Path.Combine(folder, ClassFolders[c]));
        }
        int seen = 0;
        for (int i = 0; i < labels.Length && written.Count < perClass * classes.Count; i++)
        {
            int label = labels[i];
            if (!counts.ContainsKey(label) || counts[label] >= perClass) continue;
            if (seen++ < skip) continue;
            int width = random.Next(minSide, maxSide + 1), height = random.Next(minSide, maxSide + 1);
            var grey = Resize(images.AsSpan(i * 784, 784), 28, 28, width, height);
            string path = Path.Combine(folder, ClassFolders[label], $"{split}-{i:D5}.png");
            using (var stream = File.Create(path))
            {
                var writer = new ImageWriter();
                if (colour)
                {
                    double r = 0.6 + 0.4 * random.NextDouble(), g = 0.6 + 0.4 * random.NextDouble(), b = 0.6 + 0.4 * random.NextDouble();
                    var rgb = new byte[width * height * 3];
                    for (int p = 0; p < grey.Length; p++)
                    {
                        rgb[3 * p] = (byte)(grey[p] * r);
                        rgb[3 * p + 1] = (byte)(grey[p] * g);
                        rgb[3 * p + 2] = (byte)(grey[p] * b);
                    }
                    writer.WritePng(rgb, width, height, ColorComponents.RedGreenBlue, stream);
                }
                else writer.WritePng(grey, width, height, ColorComponents.Grey, stream);
            }
            counts[label]++;
            written.Add(new Written(path, label, width, height, colour));
        }
        return written;
    }

    /// <summary>
    /// The images (28×28 bytes each) and labels of <paramref name="split"/> ("train" or "t10k"), the first
    /// <paramref name="limit"/> of them (all when null), from Debian's dataset-fashion-mnist.
    /// </summary>
    public static (byte[] Images, byte[] Labels) Load(string split, int? limit = null)
    {
        string Find(string name)
        {
            foreach (var candidate in new[] { Path.Combine(DatasetFolder, name + ".gz"), Path.Combine(DatasetFolder, name) })
                if (File.Exists(candidate)) return candidate;
            throw new FileNotFoundException($"{Path.Combine(DatasetFolder, name)}(.gz) is missing: run `bash build/install-test-deps.sh` (installs Debian's dataset-fashion-mnist).");
        }
        var (images, _) = IdxFile.Read(Find(split + "-images-idx3-ubyte"), 3, limit);
        var (labels, _) = IdxFile.Read(Find(split + "-labels-idx1-ubyte"), 1, limit);
        return (images, labels);
    }

    /// <summary>Bilinear resize with half-pixel centres (a plain one, not the runtime's: the test data must not come from the code under test).</summary>
    private static byte[] Resize(ReadOnlySpan<byte> source, int width, int height, int outWidth, int outHeight)
    {
        var result = new byte[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++)
        {
            double sy = Math.Clamp((y + 0.5) * height / outHeight - 0.5, 0, height - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, height - 1);
            double fy = sy - y0;
            for (int x = 0; x < outWidth; x++)
            {
                double sx = Math.Clamp((x + 0.5) * width / outWidth - 0.5, 0, width - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, width - 1);
                double fx = sx - x0;
                double v = (1 - fy) * ((1 - fx) * source[y0 * width + x0] + fx * source[y0 * width + x1])
                         + fy * ((1 - fx) * source[y1 * width + x0] + fx * source[y1 * width + x1]);
                result[y * outWidth + x] = (byte)Math.Round(v);
            }
        }
        return result;
    }
}
