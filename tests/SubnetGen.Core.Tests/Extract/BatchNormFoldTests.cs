using System;
using SubnetGen.Core.Extract;

namespace SubnetGen.Core.Tests.Extract;

public class BatchNormFoldTests
{
    [Fact]
    public void FoldedAffineEqualsEvalModeBatchNorm()
    {
        float[] gamma = { 1.5f, 0.5f }, beta = { 0.25f, -1f }, mean = { 2f, -0.5f }, variance = { 4f, 0.25f };
        var fold = SubnetExtractor.Fold(gamma, beta, mean, variance, 2, 1e-5);
        // Hand values: scale = γ/√(var+eps), shift = β − mean·scale.
        Assert.Equal(1.5 / Math.Sqrt(4.00001), fold.Scale[0], 12);
        Assert.Equal(0.25 - 2 * 1.5 / Math.Sqrt(4.00001), fold.Shift[0], 12);
        Assert.Equal(0.5 / Math.Sqrt(0.25001), fold.Scale[1], 12);
        foreach (double x in new[] { -3.0, 0.0, 0.7, 12.0 })
            for (int c = 0; c < 2; c++)
            {
                double bn = (x - mean[c]) / Math.Sqrt(variance[c] + 1e-5) * gamma[c] + beta[c];
                Assert.Equal(bn, x * fold.Scale[c] + fold.Shift[c], 10);
            }
    }

    [Fact]
    public void OnlyTheRequestedChannelsAreFolded()
    {
        var fold = SubnetExtractor.Fold(new[] { 1f, 1f, 1f }, new[] { 0f, 0f, 0f }, new[] { 0f, 0f, 0f }, new[] { 1f, 1f, 1f }, 2, 0);
        Assert.Equal(2, fold.Scale.Length);
        Assert.Equal(new[] { 1.0, 1.0 }, fold.Scale);
    }
}
