using TorchSharp;

namespace SubnetGen.Trainer.Model;

/// <summary>
/// Scalars the forward pass passes to libtorch, created once. `a + b` on tensors makes a new Scalar(1) each time, which
/// only the garbage collector frees; a collection during the native call can free it while libtorch reads it (seen as
/// a rare "Expected false to be true" from Scalar::toFloat in evaluation). Static ones are never collected.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1;
}
