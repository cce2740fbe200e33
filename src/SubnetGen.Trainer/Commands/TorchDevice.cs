using System;
using TorchSharp;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Commands;

/// <summary>--device auto|cpu|cuda and --threads.</summary>
internal static class TorchDevice
{
    public static Device Select(string name, int threads)
    {
        torch.set_num_threads(threads);
        bool cuda = torch.cuda.is_available();
        return name switch
        {
            "auto" => cuda ? CUDA : CPU,
            "cpu" => CPU,
            "cuda" => cuda ? CUDA : throw new InvalidOperationException(
                "--device cuda: torch.cuda.is_available() is false. Build with -p:SubnetGenTorchBackend=cuda on a machine with an NVIDIA driver (docs/training.md), or use --device cpu."),
            _ => throw new ArgumentException($"--device {name}: use auto, cpu or cuda."),
        };
    }
}
