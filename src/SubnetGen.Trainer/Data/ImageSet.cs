using System;
using System.Collections.Generic;

namespace SubnetGen.Trainer.Data;

/// <summary>
/// Images at the supernet's input size as bytes (0–255, HWC, the layout of calibration.bin), one label each. Folder
/// datasets also keep every image as decoded (<see cref="Originals"/>): batches are made from those, through the app's
/// own preprocessing, and <see cref="Pixels"/> holds that preprocessing's result rounded to bytes (for calibration.bin
/// and the dataset's mean and standard deviation).
/// </summary>
internal sealed class ImageSet
{
    public ImageSet(byte[] pixels, int[] labels, int height, int width, int channels, IReadOnlyList<string> classNames, IReadOnlyList<SourceImage>? originals = null)
    {
        if (pixels.Length != (long)labels.Length * height * width * channels)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not hold {labels.Length} images of {height}×{width}×{channels}.");
        if (originals is not null && originals.Count != labels.Length)
            throw new ArgumentException($"{originals.Count} original images for {labels.Length} labels.");
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        Channels = channels;
        ClassNames = classNames;
        Originals = originals;
    }

    /// <summary>Images of any size, preprocessed to <paramref name="height"/>×<paramref name="width"/>×<paramref name="channels"/> as the app does.</summary>
    public static ImageSet FromOriginals(IReadOnlyList<SourceImage> originals, int[] labels, int height, int width, int channels, IReadOnlyList<string> classNames)
    {
        int length = height * width * channels;
        var pixels = new byte[originals.Count * length];
        var values = new float[length];
        for (int i = 0; i < originals.Count; i++)
        {
            originals[i].Preprocess(height, width, channels, values);
            for (int p = 0; p < length; p++) pixels[i * length + p] = (byte)Math.Round(values[p] * 255f);
        }
        return new ImageSet(pixels, labels, height, width, channels, classNames, originals);
    }

    public byte[] Pixels { get; }
    public int[] Labels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>The images as decoded, of any size (folder datasets); null where <see cref="Pixels"/> are the originals (IDX files).</summary>
    public IReadOnlyList<SourceImage>? Originals { get; }
    public int Count => Labels.Length;
    public int ImageBytes => Height * Width * Channels;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageBytes, ImageBytes);

    /// <summary>A new set holding the images at <paramref name="indices"/>, in that order.</summary>
    public ImageSet Subset(IReadOnlyList<int> indices)
    {
        var pixels = new byte[indices.Count * ImageBytes];
        var labels = new int[indices.Count];
        var originals = Originals is null ? null : new SourceImage[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageBytes));
            labels[i] = Labels[indices[i]];
            if (originals is not null) originals[i] = Originals![indices[i]];
        }
        return new ImageSet(pixels, labels, Height, Width, Channels, ClassNames, originals);
    }

    public ImageSet Take(int count) => count >= Count ? this : Subset(Range(0, count));

    /// <summary>
    /// <paramref name="count"/> images for a smoke run (<c>--train-limit</c>, <c>--test-limit</c>): the first ones of an
    /// IDX set, which comes shuffled; evenly spread over a folder set, whose class folders come one after the other (its
    /// first images would all be of one class).
    /// </summary>
    public ImageSet Limit(int count)
    {
        if (count >= Count || Originals is null) return Take(count);
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = (int)((long)i * Count / count);
        return Subset(indices);
    }

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
        // The first validation images calibrate BN and the next ones score the predictor, so they must mix the classes.
        // Fashion-MNIST's files come shuffled and keep their file order (the released supernets' calibration images);
        // an image folder loads class after class, so its validation images stay in the permutation's random order.
        if (fullTrain.Originals is null) Array.Sort(validation);
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
