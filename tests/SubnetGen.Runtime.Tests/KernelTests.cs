using System;
using System.Collections.Generic;
using SubnetGen.Runtime;
using SubnetGen.TestSupport;

namespace SubnetGen.Runtime.Tests;

/// <summary>Every public kernel against the naive double-precision reference, on seeded random data and odd sizes.</summary>
public class KernelTests
{
    private static readonly (int H, int W)[] Images = { (1, 1), (3, 3), (7, 7), (13, 13), (1, 13), (7, 3), (13, 1) };
    private static readonly int[] Channels = { 1, 3, 5, 17, 33 };
    private static readonly Activation[] AllActivations = { Activation.None, Activation.Relu, Activation.HSwish, Activation.HSigmoid };

    public static IEnumerable<object[]> KernelsAndStrides()
    {
        foreach (int k in new[] { 1, 3, 5, 7 })
        foreach (int s in new[] { 1, 2 })
            yield return new object[] { k, s };
    }

    [Theory]
    [MemberData(nameof(KernelsAndStrides))]
    public void Conv2d_matches_reference(int kernel, int stride)
    {
        int seed = kernel * 10 + stride, cases = 0;
        foreach (var (h, w) in Images)
        foreach (int inC in new[] { 1, 3, 5 })
        foreach (int outC in Channels)
        {
            var act = AllActivations[cases++ % 4];
            float[] input = Data.Random(seed++, h * w * inC);
            float[] weights = Data.Random(seed++, outC * kernel * kernel * inC, 0.5f);
            float[] bias = Data.Random(seed++, outC);
            var output = new float[Reference.OutSize(h, stride) * Reference.OutSize(w, stride) * outC];
            Kernels.Conv2d(input, h, w, inC, weights, bias, outC, kernel, stride, act, output);
            Data.AssertClose(Reference.Conv2d(input, h, w, inC, weights, bias, outC, kernel, stride, act), output,
                context: $"conv {h}x{w}x{inC}->{outC} k{kernel} s{stride} {act}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelsAndStrides))]
    public void Depthwise_matches_reference(int kernel, int stride)
    {
        int seed = 1000 + kernel * 10 + stride, cases = 0;
        foreach (var (h, w) in Images)
        foreach (int c in Channels)
        {
            var act = AllActivations[cases++ % 4];
            float[] input = Data.Random(seed++, h * w * c);
            float[] weights = Data.Random(seed++, kernel * kernel * c);
            float[] bias = Data.Random(seed++, c);
            var output = new float[Reference.OutSize(h, stride) * Reference.OutSize(w, stride) * c];
            Kernels.Depthwise(input, h, w, c, weights, bias, kernel, stride, act, output);
            Data.AssertClose(Reference.Depthwise(input, h, w, c, weights, bias, kernel, stride, act), output,
                context: $"dw {h}x{w}x{c} k{kernel} s{stride} {act}");
        }
    }

    [Theory]
    [InlineData(Activation.None, false)]
    [InlineData(Activation.None, true)]
    [InlineData(Activation.Relu, false)]
    [InlineData(Activation.HSwish, false)]
    [InlineData(Activation.HSigmoid, true)]
    public void Pointwise_matches_reference(Activation act, bool withResidual)
    {
        int seed = 2000 + (int)act * 10 + (withResidual ? 1 : 0);
        // 10 and 16: blocks of 6 pixels, then one of 4; 7, 49, 169: of 6, then a single pixel.
        foreach (int pixels in new[] { 1, 3, 7, 10, 16, 49, 169 })
        foreach (int inC in Channels)
        foreach (int outC in Channels)
        {
            float[] input = Data.Random(seed++, pixels * inC);
            float[] weights = Data.Random(seed++, inC * outC, 0.5f);
            float[] bias = Data.Random(seed++, outC);
            float[]? residual = withResidual ? Data.Random(seed++, pixels * outC) : null;
            var output = new float[pixels * outC];
            Kernels.Pointwise(input, pixels, inC, weights, bias, outC, act, residual ?? ReadOnlySpan<float>.Empty, output);
            Data.AssertClose(Reference.Pointwise(input, pixels, inC, weights, bias, outC, act, residual), output,
                context: $"pw {pixels}x{inC}->{outC} {act} residual={withResidual}");
        }
    }

    [Fact]
    public void GlobalAveragePool_matches_reference()
    {
        int seed = 3000;
        foreach (int pixels in new[] { 1, 3, 9, 49, 169 })
        foreach (int c in Channels)
        {
            float[] input = Data.Random(seed++, pixels * c);
            var output = new float[c];
            Kernels.GlobalAveragePool(input, pixels, c, output);
            Data.AssertClose(Reference.GlobalAveragePool(input, pixels, c), output, context: $"gap {pixels}x{c}");
        }
    }

    [Fact]
    public void Linear_matches_reference()
    {
        int seed = 4000, cases = 0;
        foreach (int inF in new[] { 1, 3, 5, 17, 33, 100 })
        foreach (int outF in new[] { 1, 3, 5, 17, 33 })
        {
            var act = AllActivations[cases++ % 4];
            float[] input = Data.Random(seed++, inF);
            float[] weights = Data.Random(seed++, outF * inF, 0.5f);
            float[] bias = Data.Random(seed++, outF);
            var output = new float[outF];
            Kernels.Linear(input, inF, weights, bias, outF, act, output);
            Data.AssertClose(Reference.Linear(Data.ToDouble(input), weights, bias, outF, act), output, context: $"linear {inF}->{outF} {act}");
        }
    }

    [Fact]
    public void SqueezeExcite_matches_reference()
    {
        int seed = 5000;
        foreach (int pixels in new[] { 1, 9, 49 })
        foreach (int c in Channels)
        foreach (int r in new[] { 1, 3, 8 })
        {
            float[] data = Data.Random(seed++, pixels * c, 3f);
            float[] rw = Data.Random(seed++, r * c), rb = Data.Random(seed++, r);
            float[] ew = Data.Random(seed++, c * r), eb = Data.Random(seed++, c);
            double[] expected = Reference.SqueezeExcite(data, pixels, c, rw, rb, r, ew, eb);
            var scratch = new float[c + r + 3]; // larger than needed is fine
            Kernels.SqueezeExcite(data, pixels, c, rw, rb, r, ew, eb, scratch);
            Data.AssertClose(expected, data, context: $"se {pixels}x{c} r{r}");
        }
    }

    [Fact]
    public void Normalize_uses_the_channel_of_each_element()
    {
        float[] pixels = { 0f, 0.5f, 1f, 0.25f, 0.75f, 0.1f };
        float[] mean = { 0.5f, 0.25f, 0f };
        float[] std = { 0.5f, 0.25f, 2f };
        var output = new float[6];
        Kernels.Normalize(pixels, 3, mean, std, output);
        Assert.Equal(new[] { -1f, 1f, 0.5f, -0.5f, 2f, 0.05f }, output);

        // single channel, in place
        float[] grey = { 0f, 0.286f, 1f };
        Kernels.Normalize(grey, 1, new[] { 0.286f }, new[] { 0.353f }, grey);
        Data.AssertClose(new[] { -0.286 / 0.353, 0.0, (1 - 0.286) / 0.353 }, grey);
    }

    [Fact]
    public void Pointwise_projection_with_identity_weights_adds_the_residual()
    {
        // 2 pixels, 3 channels, W = identity: output = input + bias + residual
        float[] input = { 1, 2, 3, 4, 5, 6 };
        float[] w = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
        float[] bias = { 0.5f, 0, -0.5f };
        float[] residual = { 10, 20, 30, 40, 50, 60 };
        var output = new float[6];
        Kernels.Pointwise(input, 2, 3, w, bias, 3, Activation.None, residual, output);
        Assert.Equal(new[] { 11.5f, 22f, 32.5f, 44.5f, 55f, 65.5f }, output);
    }

    [Fact]
    public void Conv2d_stride_two_output_size_follows_pytorch()
    {
        // 28 -> 14, 13 -> 7, 1 -> 1 (padding k/2, (n-1)/s+1)
        Assert.Equal(14, Reference.OutSize(28, 2));
        Assert.Equal(7, Reference.OutSize(13, 2));
        float[] input = Data.Random(1, 13 * 28 * 1);
        float[] weights = Data.Random(2, 16 * 9);
        float[] bias = Data.Random(3, 16);
        var output = new float[7 * 14 * 16];
        Kernels.Conv2d(input, 13, 28, 1, weights, bias, 16, 3, 2, Activation.HSwish, output);
        Data.AssertClose(Reference.Conv2d(input, 13, 28, 1, weights, bias, 16, 3, 2, Activation.HSwish), output);
    }

    [Fact]
    public void Softmax_sums_to_one_and_matches_reference()
    {
        float[] logits = Data.Random(7, 10, 5f);
        var p = new float[10];
        Kernels.Softmax(logits, p);
        Data.AssertClose(SoftmaxReference.Of(logits), p, 1e-6);
        double sum = 0;
        foreach (float x in p) sum += x;
        Assert.Equal(1.0, sum, 5);
    }

    [Fact]
    public void Softmax_is_stable_for_large_logits()
    {
        float[] logits = { 1000f, 999f, -1000f, 998f };
        var p = new float[4];
        Kernels.Softmax(logits, p);
        foreach (float x in p) Assert.True(float.IsFinite(x));
        Data.AssertClose(SoftmaxReference.Of(logits), p, 1e-6);

        float[] huge = { 3e38f, 3e38f, -3e38f };
        Kernels.Softmax(huge, huge); // in place
        Assert.Equal(new[] { 0.5f, 0.5f, 0f }, huge);
    }

    [Fact]
    public void Softmax_of_one_logit_is_one()
    {
        var p = new float[1];
        Kernels.Softmax(new[] { -42f }, p);
        Assert.Equal(1f, p[0]);
    }
}
