using System;

namespace SubnetGen.Runtime;

/// <summary>
/// The scalar reference of every kernel: plain loops, the definition the vector path is tested
/// against, and the path used where <see cref="System.Numerics.Vector.IsHardwareAccelerated"/> is
/// false. No argument checks here; <see cref="Kernels"/> validates before dispatching.
/// Padding is kernel/2 on every side, output size (n − 1) / stride + 1.
/// </summary>
internal static class ScalarKernels
{
    public static void Normalize(ReadOnlySpan<float> pixels, int channels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> output)
    {
        int c = 0;
        for (int i = 0; i < pixels.Length; i++)
        {
            output[i] = (pixels[i] - mean[c]) / std[c];
            if (++c == channels) c = 0;
        }
    }

    public static void Conv2d(ReadOnlySpan<float> input, int inH, int inW, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outC, int kernel, int stride, Activation activation, Span<float> output)
    {
        int pad = kernel / 2;
        int outH = (inH - 1) / stride + 1, outW = (inW - 1) / stride + 1;
        for (int oy = 0; oy < outH; oy++)
        for (int ox = 0; ox < outW; ox++)
        for (int oc = 0; oc < outC; oc++)
        {
            float sum = bias[oc];
            for (int ky = 0; ky < kernel; ky++)
            {
                int iy = oy * stride - pad + ky;
                if (iy < 0 || iy >= inH) continue;
                for (int kx = 0; kx < kernel; kx++)
                {
                    int ix = ox * stride - pad + kx;
                    if (ix < 0 || ix >= inW) continue;
                    int inBase = (iy * inW + ix) * inC;
                    int wBase = ((oc * kernel + ky) * kernel + kx) * inC;
                    for (int ic = 0; ic < inC; ic++)
                        sum += input[inBase + ic] * weights[wBase + ic];
                }
            }
            output[(oy * outW + ox) * outC + oc] = Activations.Apply(sum, activation);
        }
    }

    public static void Depthwise(ReadOnlySpan<float> input, int inH, int inW, int channels, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int kernel, int stride, Activation activation, Span<float> output)
    {
        int pad = kernel / 2;
        int outH = (inH - 1) / stride + 1, outW = (inW - 1) / stride + 1;
        for (int oy = 0; oy < outH; oy++)
        for (int ox = 0; ox < outW; ox++)
        for (int c = 0; c < channels; c++)
        {
            float sum = bias[c];
            for (int ky = 0; ky < kernel; ky++)
            {
                int iy = oy * stride - pad + ky;
                if (iy < 0 || iy >= inH) continue;
                for (int kx = 0; kx < kernel; kx++)
                {
                    int ix = ox * stride - pad + kx;
                    if (ix < 0 || ix >= inW) continue;
                    sum += input[(iy * inW + ix) * channels + c] * weights[(ky * kernel + kx) * channels + c];
                }
            }
            output[(oy * outW + ox) * channels + c] = Activations.Apply(sum, activation);
        }
    }

    public static void Pointwise(ReadOnlySpan<float> input, int pixels, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outC, Activation activation, ReadOnlySpan<float> residual, Span<float> output)
    {
        bool hasResidual = !residual.IsEmpty;
        for (int p = 0; p < pixels; p++)
        for (int o = 0; o < outC; o++)
        {
            float sum = bias[o];
            for (int i = 0; i < inC; i++)
                sum += input[p * inC + i] * weights[i * outC + o];
            float value = Activations.Apply(sum, activation);
            if (hasResidual) value += residual[p * outC + o];
            output[p * outC + o] = value;
        }
    }

    public static void SqueezeExcite(Span<float> data, int pixels, int channels, ReadOnlySpan<float> reduceWeights, ReadOnlySpan<float> reduceBias,
        int reduced, ReadOnlySpan<float> expandWeights, ReadOnlySpan<float> expandBias, Span<float> scratch)
    {
        Span<float> scale = scratch.Slice(0, channels);
        Span<float> hidden = scratch.Slice(channels, reduced);
        GlobalAveragePool(data, pixels, channels, scale);
        Linear(scale, channels, reduceWeights, reduceBias, reduced, Activation.Relu, hidden);
        Linear(hidden, reduced, expandWeights, expandBias, channels, Activation.HSigmoid, scale);
        for (int p = 0; p < pixels; p++)
        for (int c = 0; c < channels; c++)
            data[p * channels + c] *= scale[c];
    }

    public static void GlobalAveragePool(ReadOnlySpan<float> input, int pixels, int channels, Span<float> output)
    {
        for (int c = 0; c < channels; c++)
        {
            float sum = 0f;
            for (int p = 0; p < pixels; p++)
                sum += input[p * channels + c];
            output[c] = sum / pixels;
        }
    }

    public static void Linear(ReadOnlySpan<float> input, int inF, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int outF,
        Activation activation, Span<float> output)
    {
        for (int o = 0; o < outF; o++)
        {
            float sum = bias[o];
            for (int i = 0; i < inF; i++)
                sum += weights[o * inF + i] * input[i];
            output[o] = Activations.Apply(sum, activation);
        }
    }

    /// <summary>Shared by both paths: exp in double, so the result does not depend on the target framework.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> output)
    {
        float max = logits[0];
        for (int i = 1; i < logits.Length; i++)
            if (logits[i] > max) max = logits[i];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float e = (float)Math.Exp(logits[i] - max);
            output[i] = e;
            sum += e;
        }
        float inv = (float)(1.0 / sum);
        for (int i = 0; i < output.Length; i++)
            output[i] *= inv;
    }

    public static void Activate(Span<float> data, Activation activation)
    {
        for (int i = 0; i < data.Length; i++)
            data[i] = Activations.Apply(data[i], activation);
    }
}
