using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Extract;

namespace SubnetGen.Core.Tests.Extract;

public class KernelTransformTests
{
    private static readonly int[] Kernels = { 3, 5, 7 };

    private static Dictionary<string, WeightTensor> DepthwiseTensors(int channels, Func<int, int, float> transform75, Func<int, int, float> transform53)
    {
        var weight = Enumerable.Range(0, channels * 49).Select(i => (float)i).ToArray();
        return new Dictionary<string, WeightTensor>
        {
            ["dw.conv.weight"] = new(new[] { channels, 1, 7, 7 }, weight),
            ["dw.transform_7to5"] = new(new[] { 25, 25 }, Enumerable.Range(0, 625).Select(i => transform75(i / 25, i % 25)).ToArray()),
            ["dw.transform_5to3"] = new(new[] { 9, 9 }, Enumerable.Range(0, 81).Select(i => transform53(i / 9, i % 9)).ToArray()),
        };
    }

    private static float Identity(int row, int col) => row == col ? 1f : 0f;

    [Fact]
    public void IdentityTransformsArePureCentreCrops()
    {
        var source = new TensorSource(DepthwiseTensors(2, Identity, Identity));
        // Channel c, row y, column x of the 7×7 kernel holds c·49 + y·7 + x.
        var k5 = SubnetExtractor.ActiveDepthwiseKernel(source, Kernels, "dw", 2, 5);
        var k3 = SubnetExtractor.ActiveDepthwiseKernel(source, Kernels, "dw", 2, 3);
        var k7 = SubnetExtractor.ActiveDepthwiseKernel(source, Kernels, "dw", 2, 7);
        for (int c = 0; c < 2; c++)
        {
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 5; x++) Assert.Equal(c * 49 + (y + 1) * 7 + x + 1, k5[c * 25 + y * 5 + x]);
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 3; x++) Assert.Equal(c * 49 + (y + 2) * 7 + x + 2, k3[c * 9 + y * 3 + x]);
        }
        Assert.Equal(Enumerable.Range(0, 98).Select(i => (double)i), k7);
    }

    [Fact]
    public void TransformIsAppliedAsXTimesTTransposed()
    {
        // T[j, i] = 1 when i = (j + 1) mod 9: y[j] = x[(j + 1) mod 9], a rotation a transposed matrix would reverse.
        var source = new TensorSource(DepthwiseTensors(1, Identity, (j, i) => i == (j + 1) % 9 ? 1f : 0f));
        var k3 = SubnetExtractor.ActiveDepthwiseKernel(source, Kernels, "dw", 1, 3);
        var crop = new[] { 16, 17, 18, 23, 24, 25, 30, 31, 32 };
        for (int j = 0; j < 9; j++) Assert.Equal(crop[(j + 1) % 9], k3[j]);
    }

    [Fact]
    public void ThreeByThreeChainsBothTransforms()
    {
        // 7→5 scales everything by 2, 5→3 adds the centre value to every position.
        var source = new TensorSource(DepthwiseTensors(1, (j, i) => j == i ? 2f : 0f, (j, i) => (j == i ? 1f : 0f) + (i == 4 ? 1f : 0f)));
        var k3 = SubnetExtractor.ActiveDepthwiseKernel(source, Kernels, "dw", 1, 3);
        var crop = new[] { 16, 17, 18, 23, 24, 25, 30, 31, 32 };
        // y5 = 2·crop5; y3[j] = x[j] + x[4] with x = centre of y5 = 2·crop3, so y3[j] = 2·crop3[j] + 2·24.
        for (int j = 0; j < 9; j++) Assert.Equal(2.0 * crop[j] + 2.0 * 24, k3[j]);
    }
}
