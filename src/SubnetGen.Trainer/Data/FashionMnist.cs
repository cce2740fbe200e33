using System;
using System.IO;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Datasets;

namespace SubnetGen.Trainer.Data;

/// <summary>Fashion-MNIST in IDX format, gzipped or not (Debian's dataset-fashion-mnist installs it under /usr/share/datasets/fashion-mnist).</summary>
internal static class FashionMnist
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] Labels =
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /// <summary>True when <paramref name="folder"/> holds the four IDX files.</summary>
    public static bool IsPresent(string folder) => Find(folder, "t10k-images-idx3-ubyte") is not null && Find(folder, "train-images-idx3-ubyte") is not null;

    public static ImageSet LoadTrain(string folder) => Load(folder, "train");

    public static ImageSet LoadTest(string folder) => Load(folder, "t10k");

    private static ImageSet Load(string folder, string prefix)
    {
        var (images, shape) = IdxFile.Read(Require(folder, prefix + "-images-idx3-ubyte"), 3);
        var (labels, _) = IdxFile.Read(Require(folder, prefix + "-labels-idx1-ubyte"), 1);
        return new ImageSet(images, Array.ConvertAll(labels, l => (int)l), shape[1], shape[2], 1, Labels);
    }

    private static string Require(string folder, string name) =>
        Find(folder, name) ?? throw new FileNotFoundException(
            $"{Path.Combine(folder, name)}(.gz) not found. Install Debian's dataset-fashion-mnist (build/install-test-deps.sh does) or pass --data <folder with the IDX files>.");

    private static string? Find(string folder, string name)
    {
        foreach (var candidate in new[] { Path.Combine(folder, name + ".gz"), Path.Combine(folder, name) })
            if (File.Exists(candidate)) return candidate;
        return null;
    }
}
