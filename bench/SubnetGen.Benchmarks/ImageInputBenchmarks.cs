using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using SubnetGen.Runtime;

namespace SubnetGen.Benchmarks;

/// <summary>
/// What the generated class's image overload adds before the network: <see cref="ImageInput.Normalize"/> (centre crop,
/// antialiased resize, channel conversion, normalisation) against the float overload's own input step,
/// <see cref="Kernels.Normalize"/> of an input that is already the model's size. Images are seeded random bytes.
/// </summary>
[MemoryDiagnoser]
public class ImageInputBenchmarks
{
    public sealed record Shape(string Name, int Width, int Height, PixelFormat Format, int Padding, int Channels)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Shape> Shapes() => new[]
    {
        new Shape("28x28 Gray8 -> 28x28x1 (copy)", 28, 28, PixelFormat.Gray8, 0, 1),
        new Shape("56x56 Gray8 -> 28x28x1", 56, 56, PixelFormat.Gray8, 0, 1),
        new Shape("640x480 Rgba32 -> 28x28x1", 640, 480, PixelFormat.Rgba32, 0, 1),
        new Shape("640x480 Rgb24 -> 28x28x3", 640, 480, PixelFormat.Rgb24, 0, 3),
        new Shape("1920x1080 Bgra32 -> 28x28x1", 1920, 1080, PixelFormat.Bgra32, 0, 1),
    };

    [ParamsSource(nameof(Shapes))]
    public Shape Case { get; set; } = null!;

    private byte[] _image = null!;
    private int _stride;
    private float[] _floats = null!, _output = null!, _mean = null!, _std = null!;

    [GlobalSetup]
    public void Setup()
    {
        var s = Case;
        _stride = s.Width * ImageInput.BytesPerPixel(s.Format) + s.Padding;
        _image = new byte[_stride * s.Height];
        new Random(1).NextBytes(_image);
        _floats = Data.Uniform(28 * 28 * s.Channels, 1f, 2);
        _output = new float[28 * 28 * s.Channels];
        _mean = s.Channels == 1 ? new[] { 0.286f } : new[] { 0.485f, 0.456f, 0.406f };
        _std = s.Channels == 1 ? new[] { 0.353f } : new[] { 0.229f, 0.224f, 0.225f };
    }

    [Benchmark(Baseline = true)]
    public void FloatInput() => Kernels.Normalize(_floats, Case.Channels, _mean, _std, _output);

    [Benchmark]
    public void Image() => ImageInput.Normalize(_image, Case.Width, Case.Height, _stride, Case.Format, 28, 28, Case.Channels, _mean, _std, _output);
}
