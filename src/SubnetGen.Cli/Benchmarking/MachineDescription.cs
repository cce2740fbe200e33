using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>The processor a timing was taken on, as <c>lscpu</c> names it: search times mean nothing without it.</summary>
internal static class MachineDescription
{
    public static string Text() =>
        $"{ProcessorName()}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version} {RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";

    // Linux names the model in /proc/cpuinfo (what lscpu prints as "Model name"); elsewhere the architecture has to do.
    private static string ProcessorName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (File.Exists(cpuinfo))
        {
            string? line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            int colon = line?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (line is not null && colon >= 0) return line.Substring(colon + 1).Trim();
        }
        return "unknown processor (" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant() + ")";
    }
}
