using System;
using System.Linq;
using SubnetGen.Runtime;

namespace SubnetGen.Runtime.Tests;

/// <summary>
/// The SIMD path against the scalar reference path of the library, on sizes that hit every
/// vector-block tail (channels 1..40 around multiples of Vector&lt;float&gt;.Count, and for depthwise
/// a few wider ones that chain its 4-, 2- and 1-vector blocks). Vector&lt;T&gt;
/// computes correctly without hardware acceleration too, so these run everywhere. Other widths:
/// DOTNET_MaxVectorTBitWidth=512 (16 floats, AVX-512 FMA) and DOTNET_EnableAVX2=0 (4 floats, no FMA).
/// The convolutions' <see cref="ExactArithmetic"/> form must give the scalar path's bits, whatever the width:
/// that is what makes a build's BN recalibration the same on every CPU.
/// </summary>
public class VectorPathTests
{
    private const double Tol = 1e-5;

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 2)]
    [InlineData(7, 1)]
    public void Depthwise(int kernel, int stride)
    {
        int seed = 0;
        // 1..40 hits every tail around 8-float vectors; 48..72 the 4-vector block followed by a 2-vector one.
        foreach (int c in Enumerable.Range(1, 40).Concat(new[] { 48, 55, 63, 72 }))
        foreach (var (h, w) in new[] { (1, 1), (5, 6), (9, 9) })
        {
            var act = (Activation)(c % 4);
            float[] input = Data.Random(seed++, h * w * c), weights = Data.Random(seed++, kernel * kernel * c), bias = Data.Random(seed++, c);
            int n = Reference.OutSize(h, stride) * Reference.OutSize(w, stride) * c;
            float[] scalar = new float[n], vector = new float[n], exact = new float[n];
            ScalarKernels.Depthwise(input, h, w, c, weights, bias, kernel, stride, act, scalar);
            VectorKernels.Depthwise<FastArithmetic>(input, h, w, c, weights, bias, kernel, stride, act, vector);
            VectorKernels.Depthwise<ExactArithmetic>(input, h, w, c, weights, bias, kernel, stride, act, exact);
            Data.AssertClose(scalar, vector, Tol, $"dw {h}x{w}x{c}");
            Data.AssertSameBits(scalar, exact, $"exact dw {h}x{w}x{c}");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 2)]
    public void Conv2d(int kernel, int stride)
    {
        int seed = 100;
        foreach (int inC in new[] { 1, 3 })
        for (int outC = 1; outC <= 40; outC++)
        {
            var act = (Activation)(outC % 4);
            const int h = 9, w = 6;
            float[] input = Data.Random(seed++, h * w * inC), weights = Data.Random(seed++, outC * kernel * kernel * inC), bias = Data.Random(seed++, outC);
            int n = Reference.OutSize(h, stride) * Reference.OutSize(w, stride) * outC;
            float[] scalar = new float[n], vector = new float[n], exact = new float[n];
            ScalarKernels.Conv2d(input, h, w, inC, weights, bias, outC, kernel, stride, act, scalar);
            VectorKernels.Conv2d<FastArithmetic>(input, h, w, inC, weights, bias, outC, kernel, stride, act, vector);
            VectorKernels.Conv2d<ExactArithmetic>(input, h, w, inC, weights, bias, outC, kernel, stride, act, exact);
            Data.AssertClose(scalar, vector, Tol, $"conv {inC}->{outC}");
            Data.AssertSameBits(scalar, exact, $"exact conv {inC}->{outC}");
        }
    }

    [Fact]
    public void Conv2d_too_large_for_the_stack_falls_back_and_is_still_right()
    {
        const int h = 5, w = 5, inC = 24, outC = 40, k = 3; // 3*3*24*40 = 8640 > MaxConvStackFloats
        Assert.True(k * k * inC * outC > VectorKernels.MaxConvStackFloats);
        float[] input = Data.Random(1, h * w * inC), weights = Data.Random(2, outC * k * k * inC, 0.3f), bias = Data.Random(3, outC);
        var output = new float[h * w * outC];
        Kernels.Conv2d(input, h, w, inC, weights, bias, outC, k, 1, Activation.Relu, output);
        Data.AssertClose(Reference.Conv2d(input, h, w, inC, weights, bias, outC, k, 1, Activation.Relu), output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pointwise(bool withResidual)
    {
        int seed = 200;
        foreach (int pixels in new[] { 1, 3, 4, 5, 8, 11 })
        foreach (int inC in new[] { 1, 7, 16 })
        // 1..40 hits every tail around 8-float vectors; 48..72 runs of 3-vector column blocks followed by 2- or 1-vector ones.
        foreach (int outC in Enumerable.Range(1, 40).Concat(new[] { 48, 56, 64, 72 }))
        {
            var act = (Activation)((outC + pixels) % 4);
            float[] input = Data.Random(seed++, pixels * inC), weights = Data.Random(seed++, inC * outC), bias = Data.Random(seed++, outC);
            float[] residual = withResidual ? Data.Random(seed++, pixels * outC) : Array.Empty<float>();
            float[] scalar = new float[pixels * outC], vector = new float[pixels * outC], exact = new float[pixels * outC];
            ScalarKernels.Pointwise(input, pixels, inC, weights, bias, outC, act, residual, scalar);
            VectorKernels.Pointwise<FastArithmetic>(input, pixels, inC, weights, bias, outC, act, residual, vector);
            VectorKernels.Pointwise<ExactArithmetic>(input, pixels, inC, weights, bias, outC, act, residual, exact);
            Data.AssertClose(scalar, vector, Tol, $"pw {pixels}x{inC}->{outC}");
            Data.AssertSameBits(scalar, exact, $"exact pw {pixels}x{inC}->{outC}");
        }
    }

    [Fact]
    public void Pointwise_wider_than_the_packed_input_is_read_in_place_and_is_still_right()
    {
        const int pixels = 9;
        int inC = VectorKernels.MaxPackedInputChannels + 3;
        // 8-float vectors: 20 takes 2- and 1-vector column blocks; 60 two 3-vector blocks, then 1-vector ones, the last overlapping.
        foreach (int outC in new[] { 20, 60 })
        {
            float[] input = Data.Random(1, pixels * inC, 0.1f), weights = Data.Random(2, inC * outC, 0.1f), bias = Data.Random(3, outC);
            float[] residual = Data.Random(4, pixels * outC);
            float[] scalar = new float[pixels * outC], vector = new float[pixels * outC], exact = new float[pixels * outC];
            ScalarKernels.Pointwise(input, pixels, inC, weights, bias, outC, Activation.HSwish, residual, scalar);
            VectorKernels.Pointwise<FastArithmetic>(input, pixels, inC, weights, bias, outC, Activation.HSwish, residual, vector);
            VectorKernels.Pointwise<ExactArithmetic>(input, pixels, inC, weights, bias, outC, Activation.HSwish, residual, exact);
            Data.AssertClose(scalar, vector, Tol, $"pw {pixels}x{inC}->{outC}");
            Data.AssertSameBits(scalar, exact, $"exact pw {pixels}x{inC}->{outC}");
        }
    }

    [Fact]
    public void Linear()
    {
        int seed = 300;
        for (int inF = 1; inF <= 40; inF++)
        foreach (int outF in new[] { 1, 3, 4, 5, 9 })
        {
            var act = (Activation)(inF % 4);
            float[] input = Data.Random(seed++, inF), weights = Data.Random(seed++, outF * inF), bias = Data.Random(seed++, outF);
            float[] scalar = new float[outF], vector = new float[outF];
            ScalarKernels.Linear(input, inF, weights, bias, outF, act, scalar);
            VectorKernels.Linear(input, inF, weights, bias, outF, act, vector);
            Data.AssertClose(scalar, vector, Tol, $"linear {inF}->{outF}");
        }
    }

    [Fact]
    public void GlobalAveragePool_and_SqueezeExcite()
    {
        int seed = 400;
        for (int c = 1; c <= 40; c++)
        foreach (int pixels in new[] { 1, 6 })
        {
            float[] input = Data.Random(seed++, pixels * c);
            float[] scalar = new float[c], vector = new float[c];
            ScalarKernels.GlobalAveragePool(input, pixels, c, scalar);
            VectorKernels.GlobalAveragePool(input, pixels, c, vector);
            Data.AssertClose(scalar, vector, Tol, $"gap {pixels}x{c}");

            const int r = 4;
            float[] rw = Data.Random(seed++, r * c), rb = Data.Random(seed++, r), ew = Data.Random(seed++, c * r), eb = Data.Random(seed++, c);
            float[] dataScalar = (float[])input.Clone(), dataVector = (float[])input.Clone();
            ScalarKernels.SqueezeExcite(dataScalar, pixels, c, rw, rb, r, ew, eb, new float[c + r]);
            VectorKernels.SqueezeExcite(dataVector, pixels, c, rw, rb, r, ew, eb, new float[c + r]);
            Data.AssertClose(dataScalar, dataVector, Tol, $"se {pixels}x{c}");
        }
    }

    [Fact]
    public void Exact_pooling_squeeze_excite_and_linear_are_the_scalar_path()
    {
        int seed = 500;
        foreach (int c in new[] { 3, 8, 13, 24, 40 })
        {
            const int pixels = 6, r = 4;
            float[] input = Data.Random(seed++, pixels * c);
            float[] scalar = new float[c], exact = new float[c];
            ScalarKernels.GlobalAveragePool(input, pixels, c, scalar);
            Kernels.GlobalAveragePool<ExactArithmetic>(input, pixels, c, exact);
            Data.AssertSameBits(scalar, exact, $"exact gap {c}");

            float[] rw = Data.Random(seed++, r * c), rb = Data.Random(seed++, r), ew = Data.Random(seed++, c * r), eb = Data.Random(seed++, c);
            float[] dataScalar = (float[])input.Clone(), dataExact = (float[])input.Clone();
            ScalarKernels.SqueezeExcite(dataScalar, pixels, c, rw, rb, r, ew, eb, new float[c + r]);
            Kernels.SqueezeExcite<ExactArithmetic>(dataExact, pixels, c, rw, rb, r, ew, eb, new float[c + r]);
            Data.AssertSameBits(dataScalar, dataExact, $"exact se {c}");

            float[] lw = Data.Random(seed++, 5 * c), lb = Data.Random(seed++, 5);
            float[] linearScalar = new float[5], linearExact = new float[5];
            ScalarKernels.Linear(input.AsSpan(0, c), c, lw, lb, 5, Activation.HSwish, linearScalar);
            Kernels.Linear<ExactArithmetic>(input.AsSpan(0, c), c, lw, lb, 5, Activation.HSwish, linearExact);
            Data.AssertSameBits(linearScalar, linearExact, $"exact linear {c}");
        }
    }

    [Fact]
    public void Activations_span()
    {
        for (int n = 0; n <= 40; n++)
        foreach (Activation act in new[] { Activation.Relu, Activation.HSwish, Activation.HSigmoid })
        {
            float[] data = Data.Random(n, n, 6f);
            float[] scalar = (float[])data.Clone(), vector = (float[])data.Clone(), exact = (float[])data.Clone();
            ScalarKernels.Activate(scalar, act);
            VectorKernels.Activate<FastArithmetic>(vector, act);
            VectorKernels.Activate<ExactArithmetic>(exact, act);
            Data.AssertClose(scalar, vector, 1e-6, $"{act} n={n}");
            Data.AssertSameBits(scalar, exact, $"exact {act} n={n}");
        }
    }
}
