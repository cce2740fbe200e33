using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SubnetGen.Runtime;

/// <summary>MobileNetV3 activations on one value or in place on a span.</summary>
public static class Activations
{
    /// <summary>max(0, x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float x) => x > 0f ? x : 0f;

    /// <summary>min(max(x, 0), 6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu6(float x) => x <= 0f ? 0f : (x >= 6f ? 6f : x);

    /// <summary>x · relu6(x + 3) / 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HSwish(float x) => x * Relu6(x + 3f) / 6f;

    /// <summary>relu6(x + 3) / 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HSigmoid(float x) => Relu6(x + 3f) / 6f;

    /// <summary>Applies <paramref name="activation"/> to one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float x, Activation activation) => activation switch
    {
        Activation.None => x,
        Activation.Relu => Relu(x),
        Activation.HSwish => HSwish(x),
        Activation.HSigmoid => HSigmoid(x),
    };

    /// <summary>Whether <paramref name="activation"/> is a member with a kernel here (the kernels' argument check).</summary>
    internal static bool IsDefined(Activation activation) => activation switch
    {
        Activation.None or Activation.Relu or Activation.HSwish or Activation.HSigmoid => true,
        _ => false,
    };

    /// <summary>Applies <paramref name="activation"/> in place. Allocates nothing.</summary>
    public static void Apply(Span<float> data, Activation activation) => Apply<FastArithmetic>(data, activation);

    /// <summary><see cref="Apply(Span{float}, Activation)"/> in the given arithmetic (<see cref="Kernels"/>).</summary>
    internal static void Apply<TArithmetic>(Span<float> data, Activation activation)
        where TArithmetic : struct, IArithmetic
    {
        Guard.Defined(activation, nameof(activation));
        if (activation == Activation.None) return;
        if (Simd.IsAccelerated)
            VectorKernels.Activate<TArithmetic>(data, activation);
        else
            ScalarKernels.Activate(data, activation);
    }

    /// <summary>The vector form of <see cref="Apply(float, Activation)"/> (multiplies by 1/6 instead of dividing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> Apply(Vector<float> x, Activation activation) => activation switch
    {
        Activation.None => x,
        Activation.Relu => Vector.Max(x, Vector<float>.Zero),
        Activation.HSwish => x * HSigmoid(x),
        Activation.HSigmoid => HSigmoid(x),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> HSigmoid(Vector<float> x) =>
        Vector.Min(Vector.Max(x + new Vector<float>(3f), Vector<float>.Zero), new Vector<float>(6f)) * new Vector<float>(1f / 6f);

    /// <summary>
    /// The vector form with the scalar formulas' exact operations (divides by 6), so each lane has the bits of
    /// <see cref="Apply(float, Activation)"/>: <see cref="ExactArithmetic"/>'s activation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> ApplyExact(Vector<float> x, Activation activation) => activation switch
    {
        Activation.None => x,
        Activation.Relu => Vector.Max(x, Vector<float>.Zero),
        Activation.HSwish => x * Relu6(x + new Vector<float>(3f)) / new Vector<float>(6f),
        Activation.HSigmoid => Relu6(x + new Vector<float>(3f)) / new Vector<float>(6f),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Relu6(Vector<float> x) => Vector.Min(Vector.Max(x, Vector<float>.Zero), new Vector<float>(6f));
}
