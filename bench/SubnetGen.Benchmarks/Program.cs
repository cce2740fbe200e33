using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SubnetGen.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/SubnetGen.Benchmarks -- --filter '*'</c> (add <c>--job short</c> for a quick run;
/// docs/benchmarks.md); <c>-- profile [smallest|middle|largest]</c> prints per-layer kernel times instead (<see cref="LayerProfile"/>). Every class marks its peer <c>Baseline = true</c>, so each summary has a Ratio column: the
/// time of the row over the time of the peer, measured in the same run on the same machine.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "profile") return LayerProfile.Run(args);

        var config = DefaultConfig.Instance
            // The shape names say which layer of which stage they are; BenchmarkDotNet cuts parameters at 20 characters.
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
            // Each case's boilerplate project restores and builds the whole solution graph (TorchSharp, the CLI, Roslyn):
            // on a busy 2-core machine that takes longer than BenchmarkDotNet's default 120 s build timeout.
            .WithBuildTimeout(TimeSpan.FromMinutes(10));
        // Results under bench/BenchmarkDotNet.Artifacts (ignored by git) rather than wherever the command ran; --artifacts overrides.
        if (!args.Contains("--artifacts") && BenchFolder() is string bench)
            config = config.WithArtifactsPath(Path.Combine(bench, "BenchmarkDotNet.Artifacts"));
        foreach (var summary in BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config))
            LatencyModelBenchmarks.PrintMedians(summary);
        return 0;
    }

    /// <summary>bench/, found above the build output (bench/SubnetGen.Benchmarks/bin/…, or BenchmarkDotNet's generated project under it).</summary>
    internal static string? BenchFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SubnetGen.Benchmarks", "SubnetGen.Benchmarks.csproj")))
                return dir.FullName;
        return null;
    }
}
