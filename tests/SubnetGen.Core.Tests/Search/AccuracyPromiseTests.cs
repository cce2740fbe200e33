using System;
using System.Linq;
using SubnetGen.Core.Search;

namespace SubnetGen.Core.Tests.Search;

public sealed class AccuracyPromiseTests
{
    [Fact]
    public void NoSuccesses_GivesWilsonsClosedFormUpperBound()
    {
        // With 0 of n, Wilson's interval is [0, z² / (n + z²)].
        var promise = AccuracyPromise.FromCount(0, 10);
        double z2 = 1.959963984540054 * 1.959963984540054;
        Assert.Equal(0, promise.Lower);
        Assert.Equal(z2 / (10 + z2), promise.Upper, 12);
    }

    [Fact]
    public void TheIntervalIsSymmetricUnderSwappingRightAndWrong()
    {
        var right = AccuracyPromise.FromCount(1843, 2000);
        var wrong = AccuracyPromise.FromCount(157, 2000);
        Assert.Equal(right.Lower, 1 - wrong.Upper, 12);
        Assert.Equal(right.Upper, 1 - wrong.Lower, 12);
        Assert.True(right.Lower < right.Accuracy && right.Accuracy < right.Upper);
    }

    [Fact]
    public void At92PercentOn2000Images_TheIntervalIsAboutPlusMinus1point2()
    {
        var promise = AccuracyPromise.FromCount(1840, 2000);
        Assert.InRange(promise.Upper - promise.Lower, 0.022, 0.025);
        Assert.Equal(0.95, promise.Confidence);
    }

    [Fact]
    public void TheIntervalCoversTheTrueAccuracyAboutAsOftenAsItsConfidenceSays()
    {
        // Simulated measurements of a subnet whose true accuracy is 92 %, 2,000 images each, seeded.
        var random = new Random(42);
        const double truth = 0.92;
        const int trials = 2000, images = 2000;
        int covered = 0;
        for (int t = 0; t < trials; t++)
        {
            int correct = Enumerable.Range(0, images).Count(_ => random.NextDouble() < truth);
            var promise = AccuracyPromise.FromCount(correct, images);
            if (promise.Lower <= truth && truth <= promise.Upper) covered++;
        }
        // 95 % ± 3 binomial standard errors of 2,000 trials (0.49 points each).
        Assert.InRange(covered / (double)trials, 0.935, 0.965);
    }

    [Fact]
    public void ACorrectionsIntervalCoversAboutAsOftenAsItsConfidenceSays_ThoughEveryPickSharesTheHeldOutImages()
    {
        // Simulated: 13 picks a predictor overestimates by 1 point (± 0.4 per pick), measured on the same 2,000
        // held-out images, whose sampling error (± 0.61 points at 92 %) moves every pick's measurement at once.
        var random = new Random(42);
        double Normal(double sd) => sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        const int trials = 4000, picks = 13, images = 2000;
        const double bias = 0.01, model = 0.004, own = 0.002;
        double shared = Math.Sqrt(0.92 * 0.08 / images);
        int covered = 0, coveredWithoutTheImages = 0;
        for (int t = 0; t < trials; t++)
        {
            double common = Normal(shared);
            var errors = Enumerable.Range(0, picks).Select(_ =>
            {
                double truth = 0.92 + Normal(0.003);
                return truth + bias + Normal(model) - (truth + common + Normal(own));
            }).ToArray();
            double offset = errors.Average();
            double sd = Math.Sqrt(errors.Sum(e => (e - offset) * (e - offset)) / (picks - 1));
            double newTruth = 0.92 + Normal(0.003);
            var promise = AccuracyPromise.FromCorrection(newTruth + bias + Normal(model), offset, sd, picks, images);
            if (promise.Lower <= newTruth && newTruth <= promise.Upper) covered++;
            double spreadOnly = AccuracyPromise.Z95 * sd * Math.Sqrt(1 + 1.0 / picks);
            if (Math.Abs(promise.Accuracy - newTruth) <= spreadOnly) coveredWithoutTheImages++;
        }
        // The images' term is what makes it honest: the picks' spread alone covers about 4 in 5.
        Assert.InRange(covered / (double)trials, 0.94, 0.985);
        Assert.InRange(coveredWithoutTheImages / (double)trials, 0.6, 0.9);
    }

    [Fact]
    public void ACorrectionsIntervalNeverNarrowsBelowTheHeldOutImagesSamplingError()
    {
        var promise = AccuracyPromise.FromCorrection(0.93, 0.01, standardDeviation: 0, subnets: 1000, images: 2000);
        Assert.Equal(0.92, promise.Accuracy, 12);
        Assert.Equal(AccuracyPromise.Z95 * Math.Sqrt(0.92 * 0.08 / 2000), promise.Upper - promise.Accuracy, 12);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(11, 10)]
    [InlineData(0, 0)]
    public void ImpossibleCountsAreRefused(int correct, int images) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => AccuracyPromise.FromCount(correct, images));
}
