using System;

namespace SubnetGen.Core.Search;

/// <summary>
/// The accuracy a build promises for a subnet, with an interval at <see cref="Confidence"/>, from <see cref="Images"/>
/// held-out images the selection never saw (<c>promise.json</c>). Either a count of that subnet's right answers
/// (<see cref="FromCount"/>: Wilson score interval, which stays inside [0, 1] and keeps its coverage near 100 %), or the
/// predictor's value corrected by its measured bias on the search's picks (<see cref="FromCorrection"/>).
/// </summary>
public sealed record AccuracyPromise(double Accuracy, double Lower, double Upper, double Confidence, int Images)
{
    /// <summary>The confidence every promise is stated at.</summary>
    public const double DefaultConfidence = 0.95;

    /// <summary>The two-sided standard normal quantile for 95 %.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The subnet classified <paramref name="correct"/> of <paramref name="images"/> held-out images right.</summary>
    public static AccuracyPromise FromCount(int correct, int images)
    {
        if (images <= 0) throw new ArgumentOutOfRangeException(nameof(images), images, "a promise needs at least one image");
        if (correct < 0 || correct > images) throw new ArgumentOutOfRangeException(nameof(correct), correct, $"between 0 and {images}");
        var (lower, upper) = Wilson(correct, images, Z95);
        return new AccuracyPromise((double)correct / images, lower, upper, DefaultConfidence, images);
    }

    /// <summary>
    /// <paramref name="predicted"/> less the predictor's mean overestimate <paramref name="offset"/> on <paramref name="subnets"/> picks
    /// measured on <paramref name="images"/> held-out images; the interval is a normal prediction interval from the spread
    /// of those picks' errors (<paramref name="standardDeviation"/>), widened by the uncertainty of the offset itself.
    /// </summary>
    public static AccuracyPromise FromCorrection(double predicted, double offset, double standardDeviation, int subnets, int images)
    {
        if (subnets < 2) throw new ArgumentOutOfRangeException(nameof(subnets), subnets, "a correction needs at least two measured picks");
        if (images <= 0) throw new ArgumentOutOfRangeException(nameof(images), images, "a promise needs at least one image");
        if (!(standardDeviation >= 0)) throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "must be 0 or more");
        double accuracy = Math.Min(1, Math.Max(0, predicted - offset));
        double half = CorrectionHalfWidth(accuracy, standardDeviation, subnets, images);
        return new AccuracyPromise(accuracy, Math.Max(0, accuracy - half), Math.Min(1, accuracy + half), DefaultConfidence, images);
    }

    /// <summary>
    /// Half the 95 % interval of a corrected promise of <paramref name="accuracy"/>. Two terms: the picks' own spread
    /// around the offset, and the sampling error of the held-out images. Every pick was scored on the same images, so
    /// that error moves all of them, and the offset, together: it does not shrink with more picks, only with more
    /// images (binomial, a(1 − a) / images).
    /// </summary>
    public static double CorrectionHalfWidth(double accuracy, double standardDeviation, int subnets, int images) =>
        Z95 * Math.Sqrt(standardDeviation * standardDeviation * (1 + 1.0 / subnets) + accuracy * (1 - accuracy) / images);

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
