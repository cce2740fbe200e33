using System;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;
using RuntimeActivation = SubnetGen.Runtime.Activation;

namespace SubnetGen.Cli.Profiling;

/// <summary>
/// One layer shape (a <see cref="LayerKey"/>) as the call a generated model makes: the public
/// <see cref="Kernels"/> entry point with buffers of the key's sizes and seeded random data. Latency does not
/// depend on the values, except that they must stay normal floats: squeeze-excite runs in place, so its
/// expand bias is +8 (h-sigmoid saturates at exactly 1 and repeated calls leave the data unchanged).
/// </summary>
public static class LayerRunner
{
    public static Action Prepare(LayerKey key, int seed)
    {
        var random = new Random(seed);
        var input = Values(random, key.Input.Length, 0f, 1f);
        int outH = (key.Input.Height - 1) / key.Stride + 1, outW = (key.Input.Width - 1) / key.Stride + 1;
        int inC = key.Input.Channels, outC = key.OutChannels, k = key.Kernel;
        var act = (RuntimeActivation)(int)key.Activation;
        switch (key.Op)
        {
            case OpKind.Normalize:
            {
                var mean = Values(random, inC, 0.2f, 0.4f);
                var std = Values(random, inC, 0.2f, 0.4f);
                var output = new float[input.Length];
                return () => Kernels.Normalize(input, inC, mean, std, output);
            }
            case OpKind.Conv:
            {
                var weights = Weights(random, outC * k * k * inC);
                var bias = Weights(random, outC);
                var output = new float[outH * outW * outC];
                return () => Kernels.Conv2d(input, key.Input.Height, key.Input.Width, inC, weights, bias, outC, k, key.Stride, act, output);
            }
            case OpKind.Depthwise:
            {
                var weights = Weights(random, k * k * inC);
                var bias = Weights(random, inC);
                var output = new float[outH * outW * inC];
                return () => Kernels.Depthwise(input, key.Input.Height, key.Input.Width, inC, weights, bias, k, key.Stride, act, output);
            }
            case OpKind.Pointwise:
            {
                int pixels = key.Input.Pixels;
                var weights = Weights(random, inC * outC);
                var bias = Weights(random, outC);
                var residual = key.Residual ? Values(random, pixels * outC, -1f, 1f) : Array.Empty<float>();
                var output = new float[pixels * outC];
                return () => Kernels.Pointwise(input, pixels, inC, weights, bias, outC, act, residual, output);
            }
            case OpKind.SqueezeExcite:
            {
                int reduced = outC;
                var reduceWeights = Weights(random, reduced * inC);
                var reduceBias = Weights(random, reduced);
                var expandWeights = Weights(random, inC * reduced);
                var expandBias = Values(random, inC, 8f, 8f);
                var scratch = new float[inC + reduced];
                return () => Kernels.SqueezeExcite(input, key.Input.Pixels, inC, reduceWeights, reduceBias, reduced, expandWeights, expandBias, scratch);
            }
            case OpKind.GlobalAveragePool:
            {
                var output = new float[inC];
                return () => Kernels.GlobalAveragePool(input, key.Input.Pixels, inC, output);
            }
            case OpKind.Linear:
            {
                var weights = Weights(random, outC * inC);
                var bias = Weights(random, outC);
                var output = new float[outC];
                return () => Kernels.Linear(input, inC, weights, bias, outC, act, output);
            }
            case OpKind.Softmax:
            {
                var output = new float[input.Length];
                return () => Kernels.Softmax(input, output);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(key), $"No kernel for {key.Op}.");
        }
    }

    private static float[] Weights(Random random, int count) => Values(random, count, -0.1f, 0.1f);

    private static float[] Values(Random random, int count, float low, float high)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = low + (high - low) * (float)random.NextDouble();
        return values;
    }
}
