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

    [Fact]
    public void ImageInput_reports_each_bad_argument()
    {
        float[] mean = { 0.5f }, std = { 0.25f }, output = new float[28 * 28];
        byte[] rgb = new byte[28 * 28 * 3];
        void Policy(byte[] pixels, int width, int height, int stride, PixelFormat format) =>
            ImageInput.Normalize(pixels, width, height, stride, format, 28, 28, 1, mean, std, output);
        void Crop(int x, int y, int w, int h) =>
            ImageInput.Normalize(rgb, 28, 28, 84, PixelFormat.Rgb24, x, y, w, h, false, 28, 28, 1, mean, std, output);
        Policy(rgb, 28, 28, 84, PixelFormat.Rgb24);
        Crop(0, 0, 28, 28);

        // Wrong length: the expected one and its formula, with the numbers.
        var e = Assert.Throws<ArgumentException>(() => Policy(new byte[10], 28, 28, 84, PixelFormat.Rgb24));
        Assert.Equal("pixels", e.ParamName);
        Assert.Equal("pixels has 10 bytes; expected at least 2352 (rowStride*(height-1)+width*bytesPerPixel = 84*27+28*3). (Parameter 'pixels')", e.Message);
        Throws("expected at least 2377 (rowStride*(height-1)+width*bytesPerPixel = 87*27+28*1)", () => Policy(new byte[2376], 28, 28, 87, PixelFormat.Gray8));
        Throws("expected at least 3136", () => Policy(new byte[3135], 28, 28, 112, PixelFormat.Bgra32));
        Throws("expected at least 3136", () => ImageInput.Normalize(new byte[3135], 28, 28, 112, PixelFormat.Rgba32, 0, 0, 1, 1, true, 28, 28, 1, mean, std, output));

        // Undefined format: every member listed.
        var format = Assert.Throws<ArgumentOutOfRangeException>(() => Policy(rgb, 28, 28, 84, (PixelFormat)5));
        Assert.Equal("format", format.ParamName);
        Assert.Contains("format 5 is not a PixelFormat (0 Gray8, 1 Rgb24, 2 Bgr24, 3 Rgba32, 4 Bgra32)", format.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageInput.BytesPerPixel((PixelFormat)(-1)));

        // Sizes and stride.
        Throws("width must be positive", () => Policy(rgb, 0, 28, 84, PixelFormat.Rgb24));
        Throws("height must be positive", () => Policy(rgb, 28, -1, 84, PixelFormat.Rgb24));
        Throws("rowStride must be positive", () => Policy(rgb, 28, 28, 0, PixelFormat.Rgb24));
        var stride = Assert.Throws<ArgumentOutOfRangeException>(() => Policy(rgb, 28, 28, 28, PixelFormat.Rgb24));
        Assert.Equal("rowStride", stride.ParamName);
        Assert.Contains("rowStride must be at least width*bytesPerPixel = 84 (28*3 for Rgb24); it is 28.", stride.Message);

        // The crop lies inside the image.
        Throws("cropX", () => Crop(-1, 0, 28, 28));
        Throws("cropX+cropWidth <= width 28", () => Crop(1, 0, 28, 28));
        Throws("cropY+cropHeight <= height 28", () => Crop(0, 20, 28, 9));
        Throws("cropY", () => Crop(0, -2, 28, 9));
        Throws("cropWidth must be positive", () => Crop(0, 0, 0, 28));
        Throws("cropHeight must be positive", () => Crop(0, 0, 28, 0));
        Assert.Equal("cropWidth", Assert.Throws<ArgumentOutOfRangeException>(() => Crop(1, 0, 28, 28)).ParamName);

        // The output side.
        Throws("outHeight must be positive", () => ImageInput.Normalize(rgb, 28, 28, 84, PixelFormat.Rgb24, 0, 28, 1, mean, std, output));
        Throws("outWidth must be positive", () => ImageInput.Normalize(rgb, 28, 28, 84, PixelFormat.Rgb24, 28, 0, 1, mean, std, output));
        Throws("outChannels must be 1 (grey) or 3 (RGB); it is 2", () => ImageInput.Normalize(rgb, 28, 28, 84, PixelFormat.Rgb24, 28, 28, 2, new float[2], new float[2], new float[1568]));
        Throws("output has 783 floats; expected 784 (outHeight*outWidth*outChannels)", () => ImageInput.Normalize(rgb, 28, 28, 84, PixelFormat.Rgb24, 28, 28, 1, mean, std, new float[783]));
        Throws("expected 2352 (outHeight*outWidth*outChannels)", () => ImageInput.Normalize(rgb, 28, 28, 84, PixelFormat.Rgb24, 28, 28, 3, new float[3], new float[3], output));
        Throws("mean has 3 floats; expected 1 (outChannels)", () => ImageInput.Normalize(rgb, 28, 28, 84, PixelFormat.Rgb24, 28, 28, 1, new float[3], std, output));
        Throws("std has 0 floats; expected 1 (outChannels)", () => ImageInput.Normalize(rgb, 28, 28, 84, PixelFormat.Rgb24, 28, 28, 1, mean, Empty, output));
        Throws("outWidth must be positive", () => ImageInput.CenterCrop(10, 10, 5, 0, out _, out _, out _, out _));
        Throws("width must be positive", () => ImageInput.CenterCrop(0, 10, 5, 5, out _, out _, out _, out _));

        // Output over the pixels' memory: 784 bytes in the first 196 floats of an array whose floats 100… are the output.
        float[] shared = new float[28 * 28 * 2];
        var overlap = Assert.Throws<ArgumentException>(() =>
            ImageInput.Normalize(System.Runtime.InteropServices.MemoryMarshal.AsBytes(shared.AsSpan(0, 196)), 28, 28, 28, PixelFormat.Gray8, 28, 28, 1, mean, std, shared.AsSpan(100, 784)));
        Assert.Contains("pixels and output overlap", overlap.Message);
    }
}
