using System;

namespace SubnetGen.Core.Search;

/// <summary>
/// The accuracy a build promises for its pick: <see cref="Correct"/> of <see cref="Images"/> held-out images the
/// selection never saw (<c>promise.json</c>), with a Wilson score interval at <see cref="Confidence"/>. Wilson rather
/// than the normal approximation because it stays inside [0, 1] and keeps its coverage near 100 % accuracy.
/// </summary>
public sealed record AccuracyPromise(int Correct, int Images, double Lower, double Upper, double Confidence)
{
    /// <summary>The confidence every promise is stated at.</summary>
    public const double DefaultConfidence = 0.95;

    /// <summary>The two-sided standard normal quantile for 95 %.</summary>
    private const double Z95 = 1.959963984540054;

    public double Accuracy => (double)Correct / Images;

    public static AccuracyPromise FromCount(int correct, int images)
    {
        if (images <= 0) throw new ArgumentOutOfRangeException(nameof(images), images, "a promise needs at least one image");
        if (correct < 0 || correct > images) throw new ArgumentOutOfRangeException(nameof(correct), correct, $"between 0 and {images}");
        var (lower, upper) = Wilson(correct, images, Z95);
        return new AccuracyPromise(correct, images, lower, upper, DefaultConfidence);
    }

    /// <summary>Wilson's score interval for <paramref name="successes"/> of <paramref name="trials"/> at normal quantile <paramref name="z"/>.</summary>
    public static (double Lower, double Upper) Wilson(int successes, int trials, double z)
    {
        double n = trials, p = successes / n, z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
