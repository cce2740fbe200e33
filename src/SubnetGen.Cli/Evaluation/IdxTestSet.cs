using System;
using System.IO;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Datasets;

namespace SubnetGen.Cli.Evaluation;

/// <summary>
/// A test split in IDX format (MNIST's layout): <c>t10k-images-idx3-ubyte</c> and
/// <c>t10k-labels-idx1-ubyte</c>, each gzipped (<c>.gz</c>) or not. Debian's <c>dataset-fashion-mnist</c>
/// installs Fashion-MNIST's under <see cref="FashionMnistFolder"/>. Pixels are single-channel bytes.
/// </summary>
public sealed class IdxTestSet
{
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";
    public const string ImagesFile = IdxFile.TestImagesFile;
    public const string LabelsFile = IdxFile.TestLabelsFile;

    private IdxTestSet(string folder, byte[] pixels, byte[] labels, int height, int width)
    {
        Folder = folder;
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
    }

    public string Folder { get; }
    /// <summary>All images, row-major, one byte (0–255) per pixel.</summary>
    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Count => Labels.Length;

    /// <summary>Image <paramref name="index"/> as the generated model takes it: floats in [0, 1], HWC.</summary>
    public float[] Image(int index)
    {
        int size = Height * Width;
        var result = new float[size];
        for (int i = 0; i < size; i++) result[i] = Pixels[index * size + i] / 255f;
        return result;
    }

    /// <summary>
    /// Reads the first <paramref name="limit"/> images (all when null) of the split in <paramref name="folder"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing (the message says what to install or pass).</exception>
    /// <exception cref="InvalidDataException">A file is not IDX, is truncated, or images and labels disagree.</exception>
    public static IdxTestSet Load(string folder, int? limit = null)
    {
        string imagesPath = Find(folder, ImagesFile), labelsPath = Find(folder, LabelsFile);
        var (images, imageShape) = IdxFile.Read(imagesPath, 3, limit);
        var (labels, labelShape) = IdxFile.Read(labelsPath, 1, limit);
        if (imageShape[0] != labelShape[0])
            throw new InvalidDataException($"{imagesPath} holds {imageShape[0]} images but {labelsPath} {labelShape[0]} labels.");
        return new IdxTestSet(folder, images, labels, imageShape[1], imageShape[2]);
    }

    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { Path.Combine(folder, name + ".gz"), Path.Combine(folder, name) })
            if (File.Exists(candidate)) return candidate;
        string hint = string.Equals(Path.GetFullPath(folder).TrimEnd('/'), FashionMnistFolder, StringComparison.Ordinal)
            ? "Install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist; build/install-test-deps.sh does it) or pass --data <folder>."
            : $"Pass --data with a folder holding {ImagesFile}[.gz] and {LabelsFile}[.gz], or --data fashion-mnist.";
        throw new FileNotFoundException($"{Path.Combine(folder, name)}[.gz] not found. {hint}", Path.Combine(folder, name));
    }
}
