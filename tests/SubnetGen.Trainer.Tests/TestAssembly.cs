using Xunit;

// The trainer's tests run one at a time. TorchSharp 0.107.0 turns a double into a native Scalar that only its
// finalizer frees and does not keep it alive across the native call that reads it (Tensor.mul_(Scalar), as
// torch.optim.Adam uses). A garbage collection started by another thread during that call can free the Scalar
// first: "Unknown scalar type" from Adam.step, seen when two of these tests ran torch work side by side. The
// trainer itself runs torch on one thread and draws its progress bar from that thread (ProgressTests).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
