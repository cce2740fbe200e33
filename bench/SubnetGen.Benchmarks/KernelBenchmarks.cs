using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using SubnetGen.Runtime;

namespace SubnetGen.Benchmarks;

// Shapes are those of the released CompOFA supernet's subnets (docs/design-spaces.md): stage 1 at 14×14 (width 16,
// kernel 3), stage 2 at 7×7 (width 24, kernel 5, SE), stage 5 at 4×4 (width 64, kernel 5, SE), head 64 → 384;
// expanded widths at expand ratio 6 (the largest subnet; the smallest uses 3). SE reduced = make_divisible(C/4, 8).

/// <summary>1×1 convolution (a GEMM over HWC pixels): the expand and project layers of every block, and the head.</summary>
[MemoryDiagnoser]
public class PointwiseBenchmarks
{
    public sealed record Shape(string Name, int Pixels, int InC, int OutC, Activation Activation, bool Residual)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Shape> Shapes() => new[]
    {
        new Shape("14x14: 16->96 relu (s1 expand)", 196, 16, 96, Activation.Relu, false),
        new Shape("7x7: 144->24 +res (s2 project)", 49, 144, 24, Activation.None, true),
        new Shape("4x4: 64->384 hswish (s5 expand)", 16, 64, 384, Activation.HSwish, false),
        new Shape("4x4: 384->64 +res (s5 project)", 16, 384, 64, Activation.None, true),
    };

    [ParamsSource(nameof(Shapes))]
    public Shape Case { get; set; } = null!;

    private float[] _input = null!, _weights = null!, _bias = null!, _residual = null!, _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        ScalarPath.RequireSimd();
        var s = Case;
        _input = Data.Uniform(s.Pixels * s.InC, 1f, 1);
        _weights = Data.Weights(s.InC * s.OutC, s.InC, 2);
        _bias = Data.Uniform(s.OutC, 0.1f, 3);
        _residual = s.Residual ? Data.Uniform(s.Pixels * s.OutC, 1f, 4) : Array.Empty<float>();
        _output = new float[s.Pixels * s.OutC];
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => ScalarPath.Pointwise(_input, Case.Pixels, Case.InC, _weights, _bias, Case.OutC, Case.Activation, _residual, _output);

    [Benchmark]
    public void Simd() => Kernels.Pointwise(_input, Case.Pixels, Case.InC, _weights, _bias, Case.OutC, Case.Activation, _residual, _output);
}

/// <summary>Depthwise k×k convolution, the middle layer of every MBConv block.</summary>
[MemoryDiagnoser]
public class DepthwiseBenchmarks
{
    public sealed record Shape(string Name, int InH, int InW, int Channels, int Kernel, int Stride, Activation Activation)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Shape> Shapes() => new[]
    {
        new Shape("28x28x96 k3 s2 relu (s1 first block)", 28, 28, 96, 3, 2, Activation.Relu),
        new Shape("14x14x96 k3 s1 relu (s1)", 14, 14, 96, 3, 1, Activation.Relu),
        new Shape("7x7x144 k5 s1 relu (s2)", 7, 7, 144, 5, 1, Activation.Relu),
        new Shape("4x4x384 k5 s1 hswish (s5)", 4, 4, 384, 5, 1, Activation.HSwish),
    };

    [ParamsSource(nameof(Shapes))]
    public Shape Case { get; set; } = null!;

    private float[] _input = null!, _weights = null!, _bias = null!, _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        ScalarPath.RequireSimd();
        var s = Case;
        int outH = (s.InH - 1) / s.Stride + 1, outW = (s.InW - 1) / s.Stride + 1;
        _input = Data.Uniform(s.InH * s.InW * s.Channels, 1f, 1);
        _weights = Data.Weights(s.Kernel * s.Kernel * s.Channels, s.Kernel * s.Kernel, 2);
        _bias = Data.Uniform(s.Channels, 0.1f, 3);
        _output = new float[outH * outW * s.Channels];
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => ScalarPath.Depthwise(_input, Case.InH, Case.InW, Case.Channels, _weights, _bias, Case.Kernel, Case.Stride, Case.Activation, _output);

    [Benchmark]
    public void Simd() => Kernels.Depthwise(_input, Case.InH, Case.InW, Case.Channels, _weights, _bias, Case.Kernel, Case.Stride, Case.Activation, _output);
}

/// <summary>
/// Squeeze-excite (pool, reduce + ReLU, expand + h-sigmoid, scale), in place. The expand bias is +8 so that
/// h-sigmoid saturates at exactly 1: the data is the same after every call (same work each iteration, no drift
/// towards zero or denormals), without a copy inside the measured call.
/// </summary>
[MemoryDiagnoser]
public class SqueezeExciteBenchmarks
{
    public sealed record Shape(string Name, int Pixels, int Channels, int Reduced)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Shape> Shapes() => new[]
    {
        new Shape("7x7x144 r40 (s2)", 49, 144, 40),
        new Shape("4x4x384 r96 (s5)", 16, 384, 96),
    };

    [ParamsSource(nameof(Shapes))]
    public Shape Case { get; set; } = null!;

    private float[] _data = null!, _reduceW = null!, _reduceB = null!, _expandW = null!, _expandB = null!, _scratch = null!;

    [GlobalSetup]
    public void Setup()
    {
        ScalarPath.RequireSimd();
        var s = Case;
        _data = Data.Uniform(s.Pixels * s.Channels, 1f, 1);
        _reduceW = Data.Weights(s.Reduced * s.Channels, s.Channels, 2);
        _reduceB = Data.Uniform(s.Reduced, 0.1f, 3);
        _expandW = Data.Weights(s.Channels * s.Reduced, s.Reduced, 4);
        _expandB = new float[s.Channels];
        Array.Fill(_expandB, 8f);
        _scratch = new float[s.Channels + s.Reduced];
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => ScalarPath.SqueezeExcite(_data, Case.Pixels, Case.Channels, _reduceW, _reduceB, Case.Reduced, _expandW, _expandB, _scratch);

    [Benchmark]
    public void Simd() => Kernels.SqueezeExcite(_data, Case.Pixels, Case.Channels, _reduceW, _reduceB, Case.Reduced, _expandW, _expandB, _scratch);
}

/// <summary>
/// h-swish in place over a whole activation tensor. Applying it again and again would drive the data to zero
/// (and through denormals), so each call first copies the fresh input in: both rows pay the same copy, and the
/// <see cref="CopyOnly"/> row shows what it costs.
/// </summary>
[MemoryDiagnoser]
public class HSwishBenchmarks
{
    [Params(6144, 12544)] // 4x4x384 (stage 5 / head expand), 28x28x16 (stem output)
    public int Length { get; set; }

    private float[] _source = null!, _data = null!;

    [GlobalSetup]
    public void Setup()
    {
        ScalarPath.RequireSimd();
        _source = Data.Uniform(Length, 6f, 1); // [-6, 6]: every branch of relu6(x + 3)
        _data = new float[Length];
    }

    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        _source.AsSpan().CopyTo(_data);
        ScalarPath.Activate(_data, Activation.HSwish);
    }

    [Benchmark]
    public void Simd()
    {
        _source.AsSpan().CopyTo(_data);
        Activations.Apply(_data, Activation.HSwish);
    }

    [Benchmark]
    public void CopyOnly() => _source.AsSpan().CopyTo(_data);
}
