using System;
using System.IO;
using System.Linq;
using SubnetGen.Core.Space;

namespace SubnetGen.Trainer.Data;

/// <summary>Resolves --data to train/validation/test splits and the supernet structure that fits them.</summary>
internal static class DataSource
{
    public static DatasetSplits Load(string data, int validationCount, int seed, int imageChannels = 1)
    {
        if (string.Equals(data, "fashion-mnist", StringComparison.OrdinalIgnoreCase))
            data = FashionMnist.DefaultFolder;
        if (!Directory.Exists(data))
            throw new DirectoryNotFoundException($"--data {data}: no such folder. Use fashion-mnist (Debian package dataset-fashion-mnist), a folder with Fashion-MNIST IDX files, or an image folder with one sub-folder per class.");
        if (FashionMnist.IsPresent(data))
            return DatasetSplits.Create("fashion-mnist", FashionMnist.LoadTrain(data), FashionMnist.LoadTest(data), validationCount, seed);

        string name = Path.GetFileName(Path.GetFullPath(data).TrimEnd(Path.DirectorySeparatorChar));
        string train = Path.Combine(data, "train"), test = Path.Combine(data, "test");
        if (Directory.Exists(train) && Directory.Exists(test))
            return DatasetSplits.Create(name, ImageFolder.Load(train, imageChannels), ImageFolder.Load(test, imageChannels), validationCount, seed);

        // One folder of class folders: hold a seeded tenth out as the test split.
        var all = ImageFolder.Load(data, imageChannels);
        var order = DatasetSplits.Permutation(all.Count, new Random(seed + 1));
        int testCount = Math.Max(1, all.Count / 10);
        var testSet = all.Subset(order.Take(testCount).OrderBy(i => i).ToArray());
        var trainSet = all.Subset(order.Skip(testCount).OrderBy(i => i).ToArray());
        return DatasetSplits.Create(name, trainSet, testSet, Math.Min(validationCount, trainSet.Count / 10), seed);
    }

    /// <summary>The family's default structure with the dataset's input geometry, normalisation and class count.</summary>
    public static SupernetSpec Spec(Family family, DatasetSplits splits)
    {
        var spec = DefaultSupernets.FashionMnist(family);
        if (splits.Name == "fashion-mnist") return spec;
        var train = splits.Train;
        var mean = new float[train.Channels];
        var std = new float[train.Channels];
        for (int c = 0; c < train.Channels; c++)
        {
            double sum = 0, sq = 0;
            long n = 0;
            for (int i = c; i < train.Pixels.Length; i += train.Channels, n++)
            {
                double v = train.Pixels[i] / 255.0;
                sum += v;
                sq += v * v;
            }
            mean[c] = (float)(sum / n);
            std[c] = (float)Math.Sqrt(Math.Max(sq / n - (sum / n) * (sum / n), 1e-12));
        }
        return spec with
        {
            Input = new InputSpec(train.Height, train.Width, train.Channels, mean, std),
            ClassCount = train.ClassNames.Count,
        };
    }

    /// <summary>PascalCase dataset name for package ids: fashion-mnist → FashionMnist.</summary>
    public static string PackageName(string dataset) =>
        string.Concat(dataset.Split(new[] { '-', '_', ' ', '.' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
}
