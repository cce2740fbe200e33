using System;
using System.Collections.Generic;

namespace SubnetGen.Trainer.Data;

/// <summary>Images as bytes (0–255, HWC, the layout of calibration.bin) with one label byte each.</summary>
internal sealed class ImageSet
{
    public ImageSet(byte[] pixels, byte[] labels, int height, int width, int channels, IReadOnlyList<string> classNames)
    {
        if (pixels.Length != (long)labels.Length * height * width * channels)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not hold {labels.Length} images of {height}×{width}×{channels}.");
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        Channels = channels;
        ClassNames = classNames;
    }

    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => Labels.Length;
    public int ImageBytes => Height * Width * Channels;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageBytes, ImageBytes);

    /// <summary>A new set holding the images at <paramref name="indices"/>, in that order.</summary>
    public ImageSet Subset(IReadOnlyList<int> indices)
    {
        var pixels = new byte[indices.Count * ImageBytes];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageBytes));
            labels[i] = Labels[indices[i]];
        }
        return new ImageSet(pixels, labels, Height, Width, Channels, ClassNames);
    }

    public ImageSet Take(int count) => count >= Count ? this : Subset(Range(0, count));

    private static int[] Range(int start, int count)
    {
        var r = new int[count];
        for (int i = 0; i < count; i++) r[i] = start + i;
        return r;
    }
}

/// <summary>The three splits a run uses: train, a validation split held out of train (for BN calibration, the
/// predictor and model selection) and the test split, used only to report accuracy.</summary>
internal sealed record DatasetSplits(string Name, ImageSet Train, ImageSet Validation, ImageSet Test)
{
    /// <summary>Holds the last <paramref name="validationCount"/> images of a seeded permutation of <paramref name="fullTrain"/> out of training.</summary>
    public static DatasetSplits Create(string name, ImageSet fullTrain, ImageSet test, int validationCount, int seed)
    {
        if (validationCount >= fullTrain.Count)
            throw new ArgumentException($"A validation split of {validationCount} leaves nothing of the {fullTrain.Count} training images.");
        var order = Permutation(fullTrain.Count, new Random(seed));
        int trainCount = fullTrain.Count - validationCount;
        var train = new int[trainCount];
        var validation = new int[validationCount];
        Array.Copy(order, 0, train, 0, trainCount);
        Array.Copy(order, trainCount, validation, 0, validationCount);
        Array.Sort(train);
        Array.Sort(validation);
        return new DatasetSplits(name, fullTrain.Subset(train), fullTrain.Subset(validation), test);
    }

    public static int[] Permutation(int count, Random random)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
