using System;
using System.Numerics;
using System.Reflection;
using SubnetGen.Runtime;

namespace SubnetGen.Benchmarks;

internal delegate void PointwiseKernel(ReadOnlySpan<float> input, int pixels, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
    int outC, Activation activation, ReadOnlySpan<float> residual, Span<float> output);

internal delegate void DepthwiseKernel(ReadOnlySpan<float> input, int inH, int inW, int channels, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
    int kernel, int stride, Activation activation, Span<float> output);

internal delegate void SqueezeExciteKernel(Span<float> data, int pixels, int channels, ReadOnlySpan<float> reduceWeights, ReadOnlySpan<float> reduceBias,
    int reduced, ReadOnlySpan<float> expandWeights, ReadOnlySpan<float> expandBias, Span<float> scratch);

internal delegate void ActivateKernel(Span<float> data, Activation activation);

/// <summary>
/// SubnetGen.Runtime's scalar reference (<c>ScalarKernels</c>, internal: the path a CPU without SIMD runs and the
/// definition the SIMD path is tested against), bound by reflection to delegates (spans cannot go through
/// <c>MethodInfo.Invoke</c>). This is the shipped assembly's own code, not a copy; a delegate call costs a few ns,
/// nothing next to the kernels measured. The SIMD row of each benchmark calls the public <see cref="Kernels"/>
/// entry point the generated code calls (argument checks included), which dispatches to <c>VectorKernels</c>.
/// </summary>
internal static class ScalarPath
{
    private static readonly Type Scalar = typeof(Kernels).Assembly.GetType("SubnetGen.Runtime.ScalarKernels", throwOnError: true)!;

    public static readonly PointwiseKernel Pointwise = Bind<PointwiseKernel>(nameof(Pointwise));
    public static readonly DepthwiseKernel Depthwise = Bind<DepthwiseKernel>(nameof(Depthwise));
    public static readonly SqueezeExciteKernel SqueezeExcite = Bind<SqueezeExciteKernel>(nameof(SqueezeExcite));
    public static readonly ActivateKernel Activate = Bind<ActivateKernel>(nameof(Activate));

    private static T Bind<T>(string name) where T : Delegate
    {
        var parameters = Array.ConvertAll(typeof(T).GetMethod("Invoke")!.GetParameters(), p => p.ParameterType);
        var method = Scalar.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, binder: null, parameters, modifiers: null)
            ?? throw new InvalidOperationException($"SubnetGen.Runtime has no ScalarKernels.{name} with the signature of {typeof(T).Name}; update bench/SubnetGen.Benchmarks/RuntimePaths.cs.");
        return (T)method.CreateDelegate(typeof(T));
    }

    /// <summary>Fails the benchmark when the public kernels would not take the SIMD path here: the comparison would be scalar vs scalar.</summary>
    public static void RequireSimd()
    {
        if (!Vector.IsHardwareAccelerated)
            throw new InvalidOperationException("Vector.IsHardwareAccelerated is false (DOTNET_EnableHWIntrinsic=0?): Kernels would run the scalar path and the comparison would be meaningless.");
        if (!s_reported)
        {
            s_reported = true;
            Console.WriteLine($"// SIMD path: Vector<float> = {Vector<float>.Count} floats, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported}");
        }
    }

    private static bool s_reported;
}

/// <summary>Seeded data for the kernel benchmarks: activations in [-range, range], weights scaled like a trained layer's (±1/√fan-in).</summary>
internal static class Data
{
    public static float[] Uniform(int count, float range, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * range);
        return values;
    }

    public static float[] Weights(int count, int fanIn, int seed) => Uniform(count, 1f / MathF.Sqrt(fanIn), seed);
}
