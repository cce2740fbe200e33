using System;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Runtime;

namespace SampleApp;

/// <summary>
/// Classifies the Fashion-MNIST images in images/ with the model SubnetGen generated at build time
/// from constraints.json (class FashionClassifier, in this project's root namespace).
/// </summary>
public static class Program
{
    public static int Main()
    {
        var model = new FashionClassifier();
        Console.WriteLine($"FashionClassifier: target \"{FashionClassifier.Target}\", subnet of {FashionClassifier.SupernetId} {FashionClassifier.SupernetVersion}");
        Console.WriteLine($"  architecture  {FashionClassifier.Architecture}");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "  metrics       predicted accuracy {0:0.0} % (95 % interval {5:0.0}–{6:0.0} %), {1:0.00} M MACs, {2:N0} parameters, weights {3:0.0} KB, peak memory {4:0.0} KB",
            FashionClassifier.PredictedAccuracy * 100, FashionClassifier.Macs / 1e6, FashionClassifier.Parameters,
            FashionClassifier.WeightBytes / 1024.0, FashionClassifier.PeakMemoryBytes / 1024.0,
            FashionClassifier.PredictedAccuracyLower * 100, FashionClassifier.PredictedAccuracyUpper * 100));
        Console.WriteLine();

        string folder = Path.Combine(AppContext.BaseDirectory, "images");
        var probabilities = new float[FashionClassifier.ClassCount];
        int correct = 0, total = 0;
        foreach (string path in Directory.GetFiles(folder, "*.pgm").OrderBy(p => p, StringComparer.Ordinal))
        {
            var image = PgmImage.Load(path);
            // The file's 8-bit grey pixels as they are: any size works (the model centre-crops and resizes inside).
            model.Predict(image.Pixels, image.Width, image.Height, image.Width, PixelFormat.Gray8, probabilities);
            int predicted = ArgMax(probabilities);
            string truth = image.Label is int label ? FashionClassifier.Labels[label] : "?";
            bool hit = image.Label == predicted;
            correct += hit ? 1 : 0;
            total++;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-18} predicted {1,-12} ({2,5:0.0} %)  true {3,-12} {4}",
                image.Name, FashionClassifier.Labels[predicted], probabilities[predicted] * 100, truth, hit ? "✓" : "✗"));
        }
        Console.WriteLine();
        Console.WriteLine($"{correct} of {total} correct.");
        return 0;
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
