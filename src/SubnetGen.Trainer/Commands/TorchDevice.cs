using System;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Commands;

/// <summary>--device auto|cpu|cuda and --threads.</summary>
internal static class TorchDevice
{
    /// <summary>The first call into TorchSharp of every command that uses it: libtorch is checked to load first.</summary>
    /// <exception cref="SubnetGenException">SNG6010/SNG6011 when libtorch cannot be loaded here.</exception>
    public static Device Select(string name, int threads)
    {
        LibTorchCheck.Ensure();
        try
        {
            torch.set_num_threads(threads);
        }
        catch (TypeInitializationException e)
        {
            // The check passed and loading failed all the same: still one coded line, not a stack trace.
            var inner = e.GetBaseException();
            throw new SubnetGenException(LibTorchCheck.FromLoaderMessage(inner.GetType().Name + ": " + inner.Message.Split('\n')[0],
                Environment.GetEnvironmentVariable("LD_LIBRARY_PATH")), e);
        }
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

    /// <summary>
    /// "AMD EPYC (2 logical cores), TorchSharp 0.107.0, 2 thread(s)" for a training report: CPU kernels differ by
    /// machine (channels-last was wrong on some, docs/training.md), so a report says where it was measured.
    /// </summary>
    public static string DescribeMachine(Device device, int threads)
    {
        string torchSharp = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
        string cpu = CpuModel() ?? "CPU model unknown";
        string where = device.type == DeviceType.CUDA ? $"CUDA device {device.index} on {cpu}" : cpu;
        return $"{where} ({Environment.ProcessorCount} logical cores), TorchSharp {torchSharp}, {threads} thread(s)";
    }

    /// <summary>Linux's /proc/cpuinfo "model name"; null elsewhere.</summary>
    private static string? CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? null : line.Substring(line.IndexOf(':') + 1).Trim();
    }
}
