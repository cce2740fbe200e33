using System;

namespace SubnetGen.Runtime;

/// <summary>
/// The inference kernels that generated models call. Tensors are HWC (channels last), row-major;
/// convolutions pad by kernel/2 and produce (n − 1) / stride + 1 rows and columns. Weights are
/// BN-folded (see README.md for every layout). Every kernel checks its span lengths and that its
/// output does not share memory with its inputs (ArgumentException naming the expected size),
/// then runs the SIMD path where the hardware has one and the scalar reference otherwise.
/// Nothing here allocates. Behind each public kernel is an internal one generic over
/// <see cref="IArithmetic"/>: the public ones are <see cref="FastArithmetic"/>; SubnetGen.Core runs
/// <see cref="ExactArithmetic"/> at build time, whose results are the same on every CPU.
/// </summary>
public static class Kernels
{
    /// <summary>out[i] = (pixels[i] − mean[c]) / std[c] with c = i % channels. May run in place.</summary>
    public static void Normalize(ReadOnlySpan<float> pixels, int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> output)
    {
        Guard.Positive(channels, nameof(channels));
        Guard.Length(mean.Length, channels, nameof(mean), "channels");
        Guard.Length(std.Length, channels, nameof(std), "channels");
        Guard.Length(output.Length, pixels.Length, nameof(output), "pixels.Length");
        if (pixels.Length % channels != 0) Guard.Length(pixels.Length, pixels.Length - pixels.Length % channels, nameof(pixels), "a multiple of channels");
        Guard.SameOrNoOverlap(pixels, output, nameof(pixels), nameof(output));
        ScalarKernels.Normalize(pixels, channels, mean, std, output);
    }

    /// <summary>Full convolution (groups = 1): weights [outC][k][k][inC], bias [outC]; output [outH][outW][outC].</summary>
    public static void Conv2d(ReadOnlySpan<float> input, int inH, int inW, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outC, int kernel, int stride, Activation activation, Span<float> output) =>
        Conv2d<FastArithmetic>(input, inH, inW, inC, weights, bias, outC, kernel, stride, activation, output);

    internal static void Conv2d<TArithmetic>(ReadOnlySpan<float> input, int inH, int inW, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outC, int kernel, int stride, Activation activation, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        Guard.Defined(activation, nameof(activation));
        Guard.Positive(inH, nameof(inH));
        Guard.Positive(inW, nameof(inW));
        Guard.Positive(inC, nameof(inC));
        Guard.Positive(outC, nameof(outC));
        Guard.Kernel(kernel, nameof(kernel));
        Guard.Positive(stride, nameof(stride));
        long outH = (inH - 1) / stride + 1, outW = (inW - 1) / stride + 1;
        Guard.Length(input.Length, (long)inH * inW * inC, nameof(input), "inH*inW*inC");
        Guard.Length(weights.Length, (long)outC * kernel * kernel * inC, nameof(weights), "outC*kernel*kernel*inC");
        Guard.Length(bias.Length, outC, nameof(bias), "outC");
        Guard.Length(output.Length, outH * outW * outC, nameof(output), "outH*outW*outC");
        Guard.NoOverlap(input, output, nameof(input), nameof(output));
        if (Simd.IsAccelerated)
            VectorKernels.Conv2d<TArithmetic>(input, inH, inW, inC, weights, bias, outC, kernel, stride, activation, output);
        else
            ScalarKernels.Conv2d(input, inH, inW, inC, weights, bias, outC, kernel, stride, activation, output);
    }

    /// <summary>Depthwise convolution: weights [k][k][C], bias [C]; output [outH][outW][C].</summary>
    public static void Depthwise(ReadOnlySpan<float> input, int inH, int inW, int channels, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int kernel, int stride, Activation activation, Span<float> output) =>
        Depthwise<FastArithmetic>(input, inH, inW, channels, weights, bias, kernel, stride, activation, output);

    internal static void Depthwise<TArithmetic>(ReadOnlySpan<float> input, int inH, int inW, int channels, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int kernel, int stride, Activation activation, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        Guard.Defined(activation, nameof(activation));
        Guard.Positive(inH, nameof(inH));
        Guard.Positive(inW, nameof(inW));
        Guard.Positive(channels, nameof(channels));
        Guard.Kernel(kernel, nameof(kernel));
        Guard.Positive(stride, nameof(stride));
        long outH = (inH - 1) / stride + 1, outW = (inW - 1) / stride + 1;
        Guard.Length(input.Length, (long)inH * inW * channels, nameof(input), "inH*inW*channels");
        Guard.Length(weights.Length, (long)kernel * kernel * channels, nameof(weights), "kernel*kernel*channels");
        Guard.Length(bias.Length, channels, nameof(bias), "channels");
        Guard.Length(output.Length, outH * outW * channels, nameof(output), "outH*outW*channels");
        Guard.NoOverlap(input, output, nameof(input), nameof(output));
        if (Simd.IsAccelerated)
            VectorKernels.Depthwise<TArithmetic>(input, inH, inW, channels, weights, bias, kernel, stride, activation, output);
        else
            ScalarKernels.Depthwise(input, inH, inW, channels, weights, bias, kernel, stride, activation, output);
    }

    /// <summary>
    /// 1x1 convolution: weights [inC][outC], bias [outC]; output [pixels][outC] = act(input·W + bias)
    /// (+ residual when <paramref name="residual"/> is not empty; MobileNet projections pass
    /// <see cref="Activation.None"/>). The residual must not share memory with the output.
    /// </summary>
    public static void Pointwise(ReadOnlySpan<float> input, int pixels, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outC, Activation activation, ReadOnlySpan<float> residual, Span<float> output) =>
        Pointwise<FastArithmetic>(input, pixels, inC, weights, bias, outC, activation, residual, output);

    internal static void Pointwise<TArithmetic>(ReadOnlySpan<float> input, int pixels, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outC, Activation activation, ReadOnlySpan<float> residual, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        Guard.Defined(activation, nameof(activation));
        Guard.Positive(pixels, nameof(pixels));
        Guard.Positive(inC, nameof(inC));
        Guard.Positive(outC, nameof(outC));
        Guard.Length(input.Length, (long)pixels * inC, nameof(input), "pixels*inC");
        Guard.Length(weights.Length, (long)inC * outC, nameof(weights), "inC*outC");
        Guard.Length(bias.Length, outC, nameof(bias), "outC");
        Guard.Length(output.Length, (long)pixels * outC, nameof(output), "pixels*outC");
        if (!residual.IsEmpty)
        {
            Guard.Length(residual.Length, (long)pixels * outC, nameof(residual), "pixels*outC, or empty for none");
            Guard.NoOverlap(residual, output, nameof(residual), nameof(output));
        }
        Guard.NoOverlap(input, output, nameof(input), nameof(output));
        if (Simd.IsAccelerated)
            VectorKernels.Pointwise<TArithmetic>(input, pixels, inC, weights, bias, outC, activation, residual, output);
        else
            ScalarKernels.Pointwise(input, pixels, inC, weights, bias, outC, activation, residual, output);
    }

    /// <summary>
    /// Squeeze-excite in place on <paramref name="data"/> [pixels][channels]:
    /// s = hsigmoid(expand(relu(reduce(avgpool(data))))), data[p][c] *= s[c].
    /// Reduce weights [reduced][channels] + bias [reduced]; expand weights [channels][reduced] + bias
    /// [channels]. <paramref name="scratch"/> holds at least channels + reduced floats, apart from data.
    /// </summary>
    public static void SqueezeExcite(Span<float> data, int pixels, int channels, ReadOnlySpan<float> reduceWeights, ReadOnlySpan<float> reduceBias,
        int reduced, ReadOnlySpan<float> expandWeights, ReadOnlySpan<float> expandBias, Span<float> scratch) =>
        SqueezeExcite<FastArithmetic>(data, pixels, channels, reduceWeights, reduceBias, reduced, expandWeights, expandBias, scratch);

    internal static void SqueezeExcite<TArithmetic>(Span<float> data, int pixels, int channels, ReadOnlySpan<float> reduceWeights, ReadOnlySpan<float> reduceBias,
        int reduced, ReadOnlySpan<float> expandWeights, ReadOnlySpan<float> expandBias, Span<float> scratch)
        where TArithmetic : struct, IArithmetic
    {
        Guard.Positive(pixels, nameof(pixels));
        Guard.Positive(channels, nameof(channels));
        Guard.Positive(reduced, nameof(reduced));
        Guard.Length(data.Length, (long)pixels * channels, nameof(data), "pixels*channels");
        Guard.Length(reduceWeights.Length, (long)reduced * channels, nameof(reduceWeights), "reduced*channels");
        Guard.Length(reduceBias.Length, reduced, nameof(reduceBias), "reduced");
        Guard.Length(expandWeights.Length, (long)channels * reduced, nameof(expandWeights), "channels*reduced");
        Guard.Length(expandBias.Length, channels, nameof(expandBias), "channels");
        Guard.AtLeast(scratch.Length, (long)channels + reduced, nameof(scratch), "channels+reduced");
        Guard.NoOverlap(data, scratch, nameof(data), nameof(scratch));
        if (Simd.IsAccelerated && default(TArithmetic).MayReorder)
            VectorKernels.SqueezeExcite(data, pixels, channels, reduceWeights, reduceBias, reduced, expandWeights, expandBias, scratch);
        else
            ScalarKernels.SqueezeExcite(data, pixels, channels, reduceWeights, reduceBias, reduced, expandWeights, expandBias, scratch);
    }

    /// <summary>output[c] = mean over pixels of input[p][c].</summary>
    public static void GlobalAveragePool(ReadOnlySpan<float> input, int pixels, int channels, Span<float> output) =>
        GlobalAveragePool<FastArithmetic>(input, pixels, channels, output);

    internal static void GlobalAveragePool<TArithmetic>(ReadOnlySpan<float> input, int pixels, int channels, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        Guard.Positive(pixels, nameof(pixels));
        Guard.Positive(channels, nameof(channels));
        Guard.Length(input.Length, (long)pixels * channels, nameof(input), "pixels*channels");
        Guard.Length(output.Length, channels, nameof(output), "channels");
        Guard.NoOverlap(input, output, nameof(input), nameof(output));
        if (Simd.IsAccelerated && default(TArithmetic).MayReorder)
            VectorKernels.GlobalAveragePool(input, pixels, channels, output);
        else
            ScalarKernels.GlobalAveragePool(input, pixels, channels, output);
    }

    /// <summary>output[o] = act(bias[o] + Σ weights[o][i] · input[i]); weights [outF][inF].</summary>
    public static void Linear(ReadOnlySpan<float> input, int inF, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int outF,
        Activation activation, Span<float> output) =>
        Linear<FastArithmetic>(input, inF, weights, bias, outF, activation, output);

    internal static void Linear<TArithmetic>(ReadOnlySpan<float> input, int inF, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int outF,
        Activation activation, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        Guard.Defined(activation, nameof(activation));
        Guard.Positive(inF, nameof(inF));
        Guard.Positive(outF, nameof(outF));
        Guard.Length(input.Length, inF, nameof(input), "inF");
        Guard.Length(weights.Length, (long)outF * inF, nameof(weights), "outF*inF");
        Guard.Length(bias.Length, outF, nameof(bias), "outF");
        Guard.Length(output.Length, outF, nameof(output), "outF");
        Guard.NoOverlap(input, output, nameof(input), nameof(output));
        if (Simd.IsAccelerated && default(TArithmetic).MayReorder)
            VectorKernels.Linear(input, inF, weights, bias, outF, activation, output);
        else
            ScalarKernels.Linear(input, inF, weights, bias, outF, activation, output);
    }

    /// <summary>Numerically stable softmax (subtracts the maximum logit). May run in place.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> output)
    {
        Guard.Positive(logits.Length, "logits.Length");
        Guard.Length(output.Length, logits.Length, nameof(output), "logits.Length");
        Guard.SameOrNoOverlap(logits, output, nameof(logits), nameof(output));
        ScalarKernels.Softmax(logits, output);
    }
}
