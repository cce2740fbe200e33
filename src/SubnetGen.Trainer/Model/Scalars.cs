using TorchSharp;

namespace SubnetGen.Trainer.Model;

/// <summary>
/// Scalars handed to libtorch. An implicitly converted Scalar (`t + u`'s alpha 1, `t.fill_(1.0)`, `t * 0.5`) holds a raw
/// native pointer that only its finalizer frees, and nothing keeps it alive during the native call: a collection then
/// can free it while libtorch reads it (seen as a rare "Expected false to be true" from Scalar::toFloat, in residual
/// adds and BN resets). Code on hot paths passes these static ones, or a Scalar held by a `using` until the call returns.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1;

    /// <summary>A Scalar for <paramref name="value"/> that the caller disposes after the call (<c>using var s = Scalars.Of(x);</c>).</summary>
    public static Scalar Of(double value) => value.ToScalar();
}
