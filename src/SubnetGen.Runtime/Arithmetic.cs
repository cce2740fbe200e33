using System.Numerics;
using System.Runtime.CompilerServices;

namespace SubnetGen.Runtime;

/// <summary>
/// How a vector kernel rounds: the one choice that makes its results depend on the CPU. Kernels are generic over
/// it (a struct, so each choice compiles to its own code with nothing left to decide at run time).
/// </summary>
internal interface IArithmetic
{
    /// <summary>acc + a·b.</summary>
    Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> acc);

    /// <summary>The activation of a whole vector.</summary>
    Vector<float> Activate(Vector<float> x, Activation activation);

    /// <summary>
    /// Whether a kernel may sum in another order than <see cref="ScalarKernels"/> (horizontal sums, a reciprocal
    /// instead of a division). Where it may not, the kernels that would (pooling, squeeze-excite, linear) run scalar.
    /// </summary>
    bool MayReorder { get; }
}

/// <summary>
/// What generated models run: a fused multiply-add where the hardware has one, activations that multiply by 1/6,
/// horizontal sums. The last bits of a result depend on the CPU's vector width and FMA support.
/// </summary>
internal readonly struct FastArithmetic : IArithmetic
{
    public bool MayReorder => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> acc) => Simd.MultiplyAdd(a, b, acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Activate(Vector<float> x, Activation activation) => Activations.Apply(x, activation);
}

/// <summary>
/// Every output bit-identical to <see cref="ScalarKernels"/>, so the same on every CPU: a multiply rounded before
/// the add (.NET never contracts <c>acc + a * b</c> into a fused multiply-add), each output summed in the scalar
/// reference's order, the scalar activations' formulas. For arithmetic a build does (SubnetGen.Core's BN
/// recalibration), whose results must not depend on the machine that builds.
/// </summary>
internal readonly struct ExactArithmetic : IArithmetic
{
    public bool MayReorder => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> acc) => acc + a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Activate(Vector<float> x, Activation activation) => Activations.ApplyExact(x, activation);
}
