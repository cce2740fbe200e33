using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Cli.Profiling;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.TestSupport;

namespace SubnetGen.Benchmarks;

/// <summary>
/// <c>profile [smallest|middle|largest]</c>: where a generated model's time goes. Times each layer of a subnet of
/// the released CompOFA supernet through the <see cref="SubnetGen.Runtime.Kernels"/> call the generated code makes
/// (<see cref="LayerRunner"/>, as <c>subnetgen profile</c> does for device tables: the layer's shapes, seeded data),
/// and prints time and GMAC/s per layer and per kernel. A diagnostic for kernel work, not a claim: the claims are
/// the BenchmarkDotNet ratios. Layers run in isolation with hot caches, so the sum is a little below a whole Predict.
/// </summary>
internal static class LayerProfile
{
    public static int Run(string[] args)
    {
        string name = args.Length > 1 ? args[1] : ReferenceSubnets.LargestName;
        var folder = ReleasedBundle.Extract(ReleasedBundle.CompOfa);
        SupernetSpec spec;
        try { spec = SupernetBundle.Load(folder).Spec; }
        finally { Directory.Delete(folder, recursive: true); }
        var config = ReferenceSubnets.ByName(spec, name)
            ?? throw new ArgumentException($"No reference subnet '{name}': use {string.Join(", ", ReferenceSubnets.Names)}.");
        var graph = GraphBuilder.Build(spec, config);
        var layers = graph.Layers.Where(l => l.Op is not (OpKind.Normalize or OpKind.Softmax)) // a few dozen ns each
            .Select((l, i) => (l.Name, Key: LayerKey.For(graph, l), Run: LayerRunner.Prepare(LayerKey.For(graph, l), seed: i))).ToList();

        // Warm-up: long enough for tiered compilation to reach its optimised code for every kernel.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 2000)
            foreach (var layer in layers) layer.Run();

        Console.WriteLine($"{ReleasedBundle.CompOfa}, {name} = {config}, Vector<float>: {System.Numerics.Vector<float>.Count} floats");
        Console.WriteLine($"{"layer",-28} {"key",-44} {"µs",8} {"GMAC/s",7}");
        var byKernel = new Dictionary<string, double>(StringComparer.Ordinal);
        double total = 0;
        foreach (var (layerName, key, run) in layers)
        {
            int reps = (int)Math.Max(50, 2_000_000 / (key.Work + 20_000));
            var watch = Stopwatch.StartNew();
            for (int r = 0; r < reps; r++) run();
            double us = watch.Elapsed.TotalMilliseconds * 1000 / reps;
            total += us;
            string kernel = FormatNames.Of(key.Op) + (key.Op == OpKind.Depthwise ? " k" + key.Kernel.ToString(CultureInfo.InvariantCulture) : "");
            byKernel[kernel] = byKernel.GetValueOrDefault(kernel) + us;
            string rate = key.Macs > 0 && key.Op != OpKind.SqueezeExcite ? (key.Macs / us / 1000).ToString("F1", CultureInfo.InvariantCulture) : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{layerName,-28} {key,-44} {us,8:F1} {rate,7}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total:F0} µs for {layers.Count} layers"));
        foreach (var (kernel, us) in byKernel.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kernel,-16} {us,8:F0} µs {100 * us / total,5:F1} %"));
        return 0;
    }
}
