using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Imaging;
using SubnetGen.Runtime;

namespace SubnetGen.Cli.Evaluation;

/// <summary>
/// Labelled test images of any size — an IDX split or an image folder (one sub-folder per class, or test/ of those) —
/// prepared for a model's input as the app does it: SubnetGen.Runtime's <see cref="ImageInput"/> (shorter side resized,
/// centre crop), values in [0, 1] that the generated model normalises. Images already at the model's size and grey
/// are bytes / 255, exactly as before.
/// </summary>
public sealed class TestImages
{
    private readonly IReadOnlyList<(byte[] Pixels, int Width, int Height, PixelFormat Format)> _images;

    private TestImages(string source, IReadOnlyList<(byte[], int, int, PixelFormat)> images, int[] labels)
    {
        Source = source;
        _images = images;
        Labels = labels;
    }

    public string Source { get; }
    public int[] Labels { get; }
    public int Count => Labels.Length;

    /// <summary>Image <paramref name="index"/> at a model's input: floats in [0, 1], HWC.</summary>
    public float[] Prepare(int index, int height, int width, int channels)
    {
        var (pixels, w, h, format) = _images[index];
        var result = new float[height * width * channels];
        if (w == width && h == height && format == PixelFormat.Gray8 && channels == 1)
        {
            for (int i = 0; i < result.Length; i++) result[i] = pixels[i] / 255f;
            return result;
        }
        ImageInput.Normalize(pixels, w, h, w * ImageInput.BytesPerPixel(format), format, height, width, channels,
            new float[channels], Enumerable.Repeat(1f, channels).ToArray(), result);
        return result;
    }

    public static TestImages FromIdx(IdxTestSet set)
    {
        int size = set.Height * set.Width;
        var images = Enumerable.Range(0, set.Count)
            .Select(i => (set.Pixels.AsSpan(i * size, size).ToArray(), set.Width, set.Height, PixelFormat.Gray8)).ToArray();
        return new TestImages(set.Folder, images, set.Labels.Select(l => (int)l).ToArray());
    }

    /// <summary>True when <paramref name="folder"/> holds class folders (or a test/ folder of them) rather than IDX files.</summary>
    public static bool IsImageFolder(string folder) =>
        Directory.Exists(folder) && Directory.GetDirectories(folder).Length > 0 && !File.Exists(Path.Combine(folder, IdxTestSet.ImagesFile))
        && !File.Exists(Path.Combine(folder, IdxTestSet.ImagesFile + ".gz"));

    /// <summary>
    /// The PNG/JPEG/BMP/TGA images of <paramref name="folder"/>'s class folders (of its test/ folder when there is one),
    /// each labelled by the position of its folder's name in <paramref name="classes"/> (the supernet's labels), in ordinal
    /// file order; the first <paramref name="limit"/> of them when given.
    /// </summary>
    /// <exception cref="InvalidDataException">A class folder is not one of the supernet's classes, or a file does not decode.</exception>
    public static TestImages FromFolder(string folder, IReadOnlyList<string> classes, int? limit)
    {
        string root = Directory.Exists(Path.Combine(folder, "test")) ? Path.Combine(folder, "test") : folder;
        var images = new List<(byte[], int, int, PixelFormat)>();
        var labels = new List<int>();
        foreach (var classFolder in Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            string name = Path.GetFileName(classFolder);
            int label = IndexOf(classes, name);
            if (label < 0)
                throw new InvalidDataException($"{classFolder}: \"{name}\" is not one of the supernet's classes ({string.Join(", ", classes)}). Pass --data with the supernet's dataset.");
            foreach (var file in Directory.GetFiles(classFolder).Where(ImageFile.IsImage).OrderBy(f => f, StringComparer.Ordinal))
            {
                images.Add(Decode(file));
                labels.Add(label);
            }
        }
        if (images.Count == 0) throw new InvalidDataException($"{root} holds no images in class folders.");
        // An evenly spread sample when limited: class folders come one after the other.
        var order = Enumerable.Range(0, images.Count).ToArray();
        if (limit is int n && n < images.Count) order = Enumerable.Range(0, n).Select(i => (int)((long)i * images.Count / n)).ToArray();
        return new TestImages(root, order.Select(i => images[i]).ToArray(), order.Select(i => labels[i]).ToArray());
    }

    private static int IndexOf(IReadOnlyList<string> classes, string name)
    {
        for (int i = 0; i < classes.Count; i++)
            if (string.Equals(classes[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }

    private static (byte[], int, int, PixelFormat) Decode(string file)
    {
        try
        {
            return ImageFile.Decode(file);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{file} cannot be decoded ({e.Message}); re-save it as PNG or JPEG, or remove it.", e);
        }
    }
}
