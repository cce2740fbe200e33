using System;
using SubnetGen.Runtime;

namespace SubnetGen.Runtime.Tests;

/// <summary>
/// Naive references, written from the layout contract alone (not from the library code): plain
/// nested loops in double precision over a zero-padded view of the input.
/// </summary>
internal static class Reference
{
    public static double Act(double x, Activation a)
    {
        double relu6 = Math.Min(Math.Max(x + 3, 0), 6);
        return a switch
        {
            Activation.None => x,
            Activation.Relu => Math.Max(x, 0),
            Activation.HSwish => x * relu6 / 6,
            Activation.HSigmoid => relu6 / 6,
        };
    }

    public static int OutSize(int n, int stride) => (n - 1) / stride + 1;

    /// <summary>Input value at (y, x, c), zero outside the image (the padding).</summary>
    private static double At(float[] t, int h, int w, int c, int y, int x, int ch) =>
        y < 0 || y >= h || x < 0 || x >= w ? 0.0 : t[(y * w + x) * c + ch];

    public static double[] Conv2d(float[] input, int inH, int inW, int inC, float[] weights, float[] bias, int outC, int k, int stride, Activation act)
    {
        int outH = OutSize(inH, stride), outW = OutSize(inW, stride), pad = k / 2;
        var result = new double[outH * outW * outC];
        for (int oy = 0; oy < outH; oy++)
        for (int ox = 0; ox < outW; ox++)
        for (int oc = 0; oc < outC; oc++)
        {
            double s = bias[oc];
            for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
            for (int ic = 0; ic < inC; ic++)
                s += At(input, inH, inW, inC, oy * stride + ky - pad, ox * stride + kx - pad, ic)
                     * weights[oc * k * k * inC + ky * k * inC + kx * inC + ic];
            result[oy * outW * outC + ox * outC + oc] = Act(s, act);
        }
        return result;
    }

    public static double[] Depthwise(float[] input, int inH, int inW, int c, float[] weights, float[] bias, int k, int stride, Activation act)
    {
        int outH = OutSize(inH, stride), outW = OutSize(inW, stride), pad = k / 2;
        var result = new double[outH * outW * c];
        for (int oy = 0; oy < outH; oy++)
        for (int ox = 0; ox < outW; ox++)
        for (int ch = 0; ch < c; ch++)
        {
            double s = bias[ch];
            for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
                s += At(input, inH, inW, c, oy * stride + ky - pad, ox * stride + kx - pad, ch) * weights[ky * k * c + kx * c + ch];
            result[oy * outW * c + ox * c + ch] = Act(s, act);
        }
        return result;
    }

    public static double[] Pointwise(float[] input, int pixels, int inC, float[] weights, float[] bias, int outC, Activation act, float[]? residual)
    {
        var result = new double[pixels * outC];
        for (int p = 0; p < pixels; p++)
        for (int o = 0; o < outC; o++)
        {
            double s = bias[o];
            for (int i = 0; i < inC; i++)
                s += (double)input[p * inC + i] * weights[i * outC + o];
            result[p * outC + o] = Act(s, act) + (residual is null ? 0 : residual[p * outC + o]);
        }
        return result;
    }

    public static double[] GlobalAveragePool(float[] input, int pixels, int c)
    {
        var result = new double[c];
        for (int p = 0; p < pixels; p++)
        for (int ch = 0; ch < c; ch++)
            result[ch] += input[p * c + ch];
        for (int ch = 0; ch < c; ch++)
            result[ch] /= pixels;
        return result;
    }

    public static double[] Linear(double[] input, float[] weights, float[] bias, int outF, Activation act)
    {
        int inF = input.Length;
        var result = new double[outF];
        for (int o = 0; o < outF; o++)
        {
            double s = bias[o];
            for (int i = 0; i < inF; i++)
                s += weights[o * inF + i] * input[i];
            result[o] = Act(s, act);
        }
        return result;
    }

    public static double[] SqueezeExcite(float[] data, int pixels, int c, float[] rw, float[] rb, int r, float[] ew, float[] eb)
    {
        double[] pooled = GlobalAveragePool(data, pixels, c);
        double[] hidden = Linear(pooled, rw, rb, r, Activation.Relu);
        double[] scale = Linear(hidden, ew, eb, c, Activation.HSigmoid);
        var result = new double[pixels * c];
        for (int p = 0; p < pixels; p++)
        for (int ch = 0; ch < c; ch++)
            result[p * c + ch] = data[p * c + ch] * scale[ch];
        return result;
    }
}

internal static class Data
{
    public static float[] Random(int seed, int count, float scale = 1f)
    {
        var rng = new Random(seed);
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return a;
    }

    public static double[] ToDouble(float[] a) => Array.ConvertAll(a, x => (double)x);

    /// <summary>|actual − expected| ≤ tol · max(1, |expected|), element by element, with the first failure located.</summary>
    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double tol = 1e-5, string context = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            if (!(diff <= tol * Math.Max(1.0, Math.Abs(expected[i]))))
                Assert.Fail($"{context} index {i}: expected {expected[i]:R}, got {actual[i]:R} (diff {diff:E2})");
        }
    }

    /// <summary>The same bits, element by element (−0 and +0 differ), with the first difference located.</summary>
    public static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string context = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{context} index {i}: expected {expected[i]:R}, got {actual[i]:R} (not the same bits)");
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tol = 1e-5, string context = "")
    {
        var e = new double[expected.Length];
        for (int i = 0; i < e.Length; i++) e[i] = expected[i];
        AssertClose(e, actual, tol, context);
    }
}
