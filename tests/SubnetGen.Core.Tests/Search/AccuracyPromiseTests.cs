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

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(11, 10)]
    [InlineData(0, 0)]
    public void ImpossibleCountsAreRefused(int correct, int images) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => AccuracyPromise.FromCount(correct, images));
}
