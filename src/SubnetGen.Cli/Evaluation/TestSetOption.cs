using System;
using System.Globalization;
using System.IO;
using SubnetGen.Core.Bundle;

namespace SubnetGen.Cli.Evaluation;

/// <summary>
/// What <c>--data</c> names, opened for a supernet: <c>fashion-mnist</c> (Debian's dataset-fashion-mnist), a folder of IDX
/// files, or an image folder. <c>subnetgen evaluate</c> and <c>subnetgen bench-search</c> read their test images through it.
/// </summary>
internal static class TestSetOption
{
    public const string FashionMnist = "fashion-mnist";

    public const string Description = "Test images: fashion-mnist (" + IdxTestSet.FashionMnistFolder + ", Debian's dataset-fashion-mnist), a folder with "
        + IdxTestSet.ImagesFile + "[.gz] and " + IdxTestSet.LabelsFile + "[.gz], or an image folder (class folders named as the supernet's classes, or test/ of those), preprocessed as the app does.";

    /// <summary>The first <paramref name="limit"/> test images (all when null) and the data set's name for reports.</summary>
    /// <exception cref="InvalidDataException">The images do not fit the supernet (size, channels, classes) or do not decode.</exception>
    public static (TestImages Images, string Dataset) Open(string data, SupernetManifest manifest, int? limit)
    {
        bool fashionMnist = string.Equals(data, FashionMnist, StringComparison.OrdinalIgnoreCase);
        string folder = fashionMnist ? IdxTestSet.FashionMnistFolder : Path.GetFullPath(data);
        string dataset = fashionMnist ? "Fashion-MNIST" : folder;
        if (TestImages.IsImageFolder(folder)) return (TestImages.FromFolder(folder, manifest.Labels, limit), dataset);
        var idx = IdxTestSet.Load(folder, limit);
        CheckMatches(manifest, idx);
        return (TestImages.FromIdx(idx), dataset);
    }

    /// <summary>IDX images carry no class names: at least their size and labels must fit the supernet.</summary>
    /// <exception cref="InvalidDataException">They do not.</exception>
    private static void CheckMatches(SupernetManifest manifest, IdxTestSet testSet)
    {
        var input = manifest.Spec.Input;
        if (input.Channels != 1 || input.Height != testSet.Height || input.Width != testSet.Width)
            throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture,
                "The supernet takes {0}×{1}×{2} images; the test images in {3} are {4}×{5}×1. Pass --data with the supernet's dataset.",
                input.Height, input.Width, input.Channels, testSet.Folder, testSet.Height, testSet.Width));
        int classes = manifest.Labels.Count;
        int bad = Array.FindIndex(testSet.Labels, l => l >= classes);
        if (bad >= 0)
            throw new InvalidDataException($"Test image {bad} has label {testSet.Labels[bad]}; the supernet has {classes} classes. Pass --data with the supernet's dataset.");
    }
}
