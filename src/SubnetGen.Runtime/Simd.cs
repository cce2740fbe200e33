using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
#endif

namespace SubnetGen.Runtime;

/// <summary>
/// Thin helpers over <see cref="Vector{T}"/>: unchecked loads and stores at an element index from a
/// base reference (callers own the bounds; Debug builds assert them) and a fused multiply-add where
/// the hardware has one. Vector&lt;float&gt;.Count is a JIT-time constant, so the branches fold away.
/// </summary>
internal static class Simd
{
    public static bool IsAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector.IsHardwareAccelerated;
    }

    public static int Width
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector<float>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float start, int index) =>
        Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float start, int index) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, index)), value);

    /// <summary>acc + a·b, fused on x64 (FMA3 / AVX-512) and Arm64 (NEON).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> acc)
    {
#if NET8_0_OR_GREATER
        if (Vector<float>.Count == 8 && Fma.IsSupported)
            return Fma.MultiplyAdd(a.AsVector256(), b.AsVector256(), acc.AsVector256()).AsVector();
        if (Vector<float>.Count == 16 && Avx512F.IsSupported)
            return Avx512F.FusedMultiplyAdd(a.AsVector512(), b.AsVector512(), acc.AsVector512()).AsVector();
        if (Vector<float>.Count == 4 && AdvSimd.IsSupported)
            return AdvSimd.FusedMultiplyAdd(acc.AsVector128(), a.AsVector128(), b.AsVector128()).AsVector();
#endif
        return acc + a * b;
    }

    [Conditional("DEBUG")]
    public static void AssertInRange(int index, int count, int length) =>
        Debug.Assert(index >= 0 && index + count <= length, "vector access out of range");
}
