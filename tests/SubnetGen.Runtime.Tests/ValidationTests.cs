using System;
using SubnetGen.Runtime;

namespace SubnetGen.Runtime.Tests;

/// <summary>Wrong span sizes, bad shapes and aliasing are reported as ArgumentException naming the expected size.</summary>
public class ValidationTests
{
    private static readonly float[] Empty = Array.Empty<float>();

    private static void Throws(string expectedInMessage, Action call)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Contains(expectedInMessage, e.Message);
    }

    [Fact]
    public void Conv2d()
    {
        // 5x5x3 -> k3 s2 -> 3x3x4
        float[] input = new float[75], w = new float[4 * 9 * 3], b = new float[4], o = new float[36];
        Kernels.Conv2d(input, 5, 5, 3, w, b, 4, 3, 2, Activation.None, o);
        Throws("expected 75", () => Kernels.Conv2d(new float[74], 5, 5, 3, w, b, 4, 3, 2, Activation.None, o));
        Throws("expected 108", () => Kernels.Conv2d(input, 5, 5, 3, new float[107], b, 4, 3, 2, Activation.None, o));
        Throws("expected 4", () => Kernels.Conv2d(input, 5, 5, 3, w, new float[5], 4, 3, 2, Activation.None, o));
        Throws("expected 36", () => Kernels.Conv2d(input, 5, 5, 3, w, b, 4, 3, 2, Activation.None, new float[100]));
        Throws("odd", () => Kernels.Conv2d(input, 5, 5, 3, new float[4 * 4 * 3], b, 4, 2, 2, Activation.None, o));
        Throws("stride", () => Kernels.Conv2d(input, 5, 5, 3, w, b, 4, 3, 0, Activation.None, o));
        Throws("inH", () => Kernels.Conv2d(input, 0, 5, 3, w, b, 4, 3, 2, Activation.None, o));
        float[] arena = new float[200];
        Throws("overlap", () => Kernels.Conv2d(arena.AsSpan(0, 75), 5, 5, 3, w, b, 4, 3, 2, Activation.None, arena.AsSpan(50, 36)));
    }

    [Fact]
    public void Depthwise()
    {
        float[] input = new float[7 * 7 * 5], w = new float[9 * 5], b = new float[5], o = new float[4 * 4 * 5];
        Kernels.Depthwise(input, 7, 7, 5, w, b, 3, 2, Activation.Relu, o);
        Throws("expected 245", () => Kernels.Depthwise(new float[240], 7, 7, 5, w, b, 3, 2, Activation.Relu, o));
        Throws("expected 45", () => Kernels.Depthwise(input, 7, 7, 5, new float[25 * 5], b, 3, 2, Activation.Relu, o));
        Throws("expected 5", () => Kernels.Depthwise(input, 7, 7, 5, w, new float[4], 3, 2, Activation.Relu, o));
        Throws("expected 245", () => Kernels.Depthwise(input, 7, 7, 5, w, b, 3, 1, Activation.Relu, o));
    }

    [Fact]
    public void Pointwise()
    {
        float[] input = new float[6 * 4], w = new float[4 * 8], b = new float[8], o = new float[6 * 8];
        Kernels.Pointwise(input, 6, 4, w, b, 8, Activation.None, Empty, o);
        Kernels.Pointwise(input, 6, 4, w, b, 8, Activation.None, new float[48], o);
        Throws("expected 24", () => Kernels.Pointwise(new float[25], 6, 4, w, b, 8, Activation.None, Empty, o));
        Throws("expected 32", () => Kernels.Pointwise(input, 6, 4, new float[31], b, 8, Activation.None, Empty, o));
        Throws("expected 8", () => Kernels.Pointwise(input, 6, 4, w, new float[7], 8, Activation.None, Empty, o));
        Throws("expected 48", () => Kernels.Pointwise(input, 6, 4, w, b, 8, Activation.None, Empty, new float[47]));
        Throws("expected 48", () => Kernels.Pointwise(input, 6, 4, w, b, 8, Activation.None, new float[24], o));
        Throws("overlap", () => Kernels.Pointwise(input, 6, 4, w, b, 8, Activation.None, o, o));
        Throws("overlap", () => Kernels.Pointwise(o.AsSpan(0, 24), 6, 4, w, b, 8, Activation.None, Empty, o));
    }

    [Fact]
    public void SqueezeExcite()
    {
        float[] data = new float[4 * 16], rw = new float[8 * 16], rb = new float[8], ew = new float[16 * 8], eb = new float[16];
        Kernels.SqueezeExcite(data, 4, 16, rw, rb, 8, ew, eb, new float[24]);
        Throws("at least 24", () => Kernels.SqueezeExcite(data, 4, 16, rw, rb, 8, ew, eb, new float[23]));
        Throws("expected 64", () => Kernels.SqueezeExcite(new float[65], 4, 16, rw, rb, 8, ew, eb, new float[24]));
        Throws("expected 128", () => Kernels.SqueezeExcite(data, 4, 16, new float[16], rb, 8, ew, eb, new float[24]));
        Throws("expected 8", () => Kernels.SqueezeExcite(data, 4, 16, rw, new float[16], 8, ew, eb, new float[24]));
        Throws("expected 128", () => Kernels.SqueezeExcite(data, 4, 16, rw, rb, 8, new float[8], eb, new float[24]));
        Throws("expected 16", () => Kernels.SqueezeExcite(data, 4, 16, rw, rb, 8, ew, new float[8], new float[24]));
        float[] arena = new float[100];
        Throws("overlap", () => Kernels.SqueezeExcite(arena.AsSpan(0, 64), 4, 16, rw, rb, 8, ew, eb, arena.AsSpan(60, 24)));
    }

    [Fact]
    public void GlobalAveragePool_Linear_Normalize_Softmax()
    {
        Throws("expected 12", () => Kernels.GlobalAveragePool(new float[11], 4, 3, new float[3]));
        Throws("expected 3", () => Kernels.GlobalAveragePool(new float[12], 4, 3, new float[4]));

        Throws("expected 5", () => Kernels.Linear(new float[4], 5, new float[15], new float[3], 3, Activation.None, new float[3]));
        Throws("expected 15", () => Kernels.Linear(new float[5], 5, new float[16], new float[3], 3, Activation.None, new float[3]));
        Throws("expected 3", () => Kernels.Linear(new float[5], 5, new float[15], new float[2], 3, Activation.None, new float[3]));
        Throws("expected 3", () => Kernels.Linear(new float[5], 5, new float[15], new float[3], 3, Activation.None, new float[4]));

        Throws("expected 3", () => Kernels.Normalize(new float[6], 3, new float[2], new float[3], new float[6]));
        Throws("expected 3", () => Kernels.Normalize(new float[6], 3, new float[3], new float[1], new float[6]));
        Throws("expected 6", () => Kernels.Normalize(new float[6], 3, new float[3], new float[3], new float[5]));
        Throws("multiple of channels", () => Kernels.Normalize(new float[7], 3, new float[3], new float[3], new float[7]));
        float[] arena = new float[10];
        Throws("partly overlap", () => Kernels.Normalize(arena.AsSpan(0, 6), 3, new float[3], new float[3], arena.AsSpan(3, 6)));

        Throws("expected 10", () => Kernels.Softmax(new float[10], new float[9]));
        Throws("logits.Length", () => Kernels.Softmax(Empty, Empty));
        Throws("partly overlap", () => Kernels.Softmax(arena.AsSpan(0, 5), arena.AsSpan(1, 5)));
    }

    [Fact]
    public void Undefined_activation_is_rejected()
    {
        const Activation bad = (Activation)4;
        Throws("not an Activation", () => Kernels.Linear(new float[2], 2, new float[2], new float[1], 1, bad, new float[1]));
        Throws("not an Activation", () => Kernels.Pointwise(new float[2], 1, 2, new float[2], new float[1], 1, bad, Empty, new float[1]));
        Throws("not an Activation", () => Kernels.Depthwise(new float[1], 1, 1, 1, new float[1], new float[1], 1, 1, bad, new float[1]));
        Throws("not an Activation", () => Kernels.Conv2d(new float[1], 1, 1, 1, new float[1], new float[1], 1, 1, 1, bad, new float[1]));
        Throws("not an Activation", () => Activations.Apply(new float[1], bad));
    }

    [Fact]
    public void Exception_names_the_parameter()
    {
        var e = Assert.Throws<ArgumentException>(() => Kernels.Linear(new float[4], 5, new float[15], new float[3], 3, Activation.None, new float[3]));
        Assert.Equal("input", e.ParamName);
        Assert.Equal("input has 4 floats; expected 5 (inF). (Parameter 'input')", e.Message);
    }
}
