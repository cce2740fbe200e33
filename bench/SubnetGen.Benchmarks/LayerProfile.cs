using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;
using RuntimeActivation = SubnetGen.Runtime.Activation;

namespace SubnetGen.Benchmarks;

/// <summary>
/// <c>profile [smallest|middle|largest]</c>: where a generated model's time goes. Runs each layer of a subnet of the
/// released CompOFA supernet through the public <see cref="Kernels"/> call the generated code makes (real extracted,
/// BN-folded weights; seeded random inputs in [0, 1)), times it over many repetitions, and prints time and GMAC/s per
/// layer and per kernel. A diagnostic for kernel work, not a claim: the claims are the BenchmarkDotNet ratios. Layers
/// run in isolation with hot caches, so the sum is a little below a whole Predict.
/// </summary>
internal static class LayerProfile
{
    public static int Run(string[] args)
    {
        string name = args.Length > 1 ? args[1] : ReferenceSubnets.LargestName;
        var folder = ReleasedSupernet.ExtractBundle();
        try
        {
            var bundle = SupernetBundle.Load(folder);
            var config = ReferenceSubnets.ByName(bundle.Spec, name)
                ?? throw new ArgumentException($"No reference subnet '{name}': use {string.Join(", ", ReferenceSubnets.Names)}.");
            var subnet = SubnetExtractor.Extract(bundle, config);
            var layers = Enumerable.Range(0, subnet.Graph.Layers.Count).Select(i => Prepare(subnet, i)).Where(l => l is not null).Select(l => l!).ToList();

            // Warm-up: long enough for tiered compilation to reach its optimised code for every kernel.
            var warm = Stopwatch.StartNew();
            while (warm.ElapsedMilliseconds < 2000)
                foreach (var layer in layers) layer.Run();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ReleasedSupernet.Package}, {name} = {config}, Vector<float>: {System.Numerics.Vector<float>.Count} floats"));
            Console.WriteLine($"{"layer",-28} {"kernel",-16} {"in",-10} {"out",-10} {"µs",8} {"GMAC/s",7}");
            var byKernel = new SortedDictionary<string, double>(StringComparer.Ordinal);
            double total = 0;
            foreach (var layer in layers)
            {
                int reps = Math.Max(50, (int)(2_000_000 / Math.Max(1, layer.Macs + 20_000)));
                var watch = Stopwatch.StartNew();
                for (int r = 0; r < reps; r++) layer.Run();
                double us = watch.Elapsed.TotalMilliseconds * 1000 / reps;
                total += us;
                byKernel[layer.Kernel] = byKernel.GetValueOrDefault(layer.Kernel) + us;
                string rate = layer.Macs > 0 ? (layer.Macs / us / 1000).ToString("F1", CultureInfo.InvariantCulture) : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{layer.Name,-28} {layer.Kernel,-16} {layer.In,-10} {layer.Out,-10} {us,8:F1} {rate,7}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total:F0} µs for {subnet.Graph.Layers.Count} layers"));
            foreach (var (kernel, us) in byKernel.OrderByDescending(k => k.Value))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kernel,-16} {us,8:F0} µs {100 * us / total,5:F1} %"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record TimedLayer(string Name, string Kernel, TensorShape In, TensorShape Out, long Macs, Action Run);

    private static TimedLayer? Prepare(ExtractedSubnet subnet, int index)
    {
        var graph = subnet.Graph;
        var layer = graph.Layers[index];
        var slices = subnet.Layout.Layers[index];
        var inShape = layer.Input == Layer.External ? graph.InputShape : graph.Tensors[layer.Input];
        var outShape = layer.Output == Layer.External ? new TensorShape(1, 1, graph.Spec.ClassCount) : graph.Tensors[layer.Output];
        var random = new Random(index);
        var input = new float[inShape.Length];
        for (int i = 0; i < input.Length; i++) input[i] = (float)random.NextDouble();
        var output = new float[outShape.Length];
        var residual = layer.Residual != Layer.External ? new float[outShape.Length] : Array.Empty<float>();
        float[] w = subnet.Weights;
        var act = (RuntimeActivation)(int)layer.Activation;
        int k = layer.Kernel;
        ReadOnlySpan<float> W(Slice s) => w.AsSpan(s.Offset, s.Length);

        switch (layer.Op)
        {
            case OpKind.Conv:
                return new(layer.Name, "Conv", inShape, outShape, (long)outShape.Length * k * k * inShape.Channels,
                    () => Kernels.Conv2d(input, inShape.Height, inShape.Width, inShape.Channels, W(slices.Weights), W(slices.Bias), outShape.Channels, k, layer.Stride, act, output));
            case OpKind.Depthwise:
                return new(layer.Name, "Depthwise k" + k.ToString(CultureInfo.InvariantCulture), inShape, outShape, (long)outShape.Length * k * k,
                    () => Kernels.Depthwise(input, inShape.Height, inShape.Width, inShape.Channels, W(slices.Weights), W(slices.Bias), k, layer.Stride, act, output));
            case OpKind.Pointwise:
                return new(layer.Name, "Pointwise", inShape, outShape, (long)inShape.Pixels * inShape.Channels * outShape.Channels,
                    () => Kernels.Pointwise(input, inShape.Pixels, inShape.Channels, W(slices.Weights), W(slices.Bias), outShape.Channels, act, residual, output));
            case OpKind.SqueezeExcite:
            {
                // In place: restore the input each time, or repeated scaling drives it into subnormals (the copy is timed too).
                var data = (float[])input.Clone();
                var scratch = new float[inShape.Channels + layer.ReducedChannels];
                return new(layer.Name, "SqueezeExcite", inShape, outShape, 0, () =>
                {
                    input.AsSpan().CopyTo(data);
                    Kernels.SqueezeExcite(data, inShape.Pixels, inShape.Channels, W(slices.Weights), W(slices.Bias), layer.ReducedChannels,
                        W(slices.Weights2!.Value), W(slices.Bias2!.Value), scratch);
                });
            }
            case OpKind.GlobalAveragePool:
                return new(layer.Name, "Pool", inShape, outShape, 0, () => Kernels.GlobalAveragePool(input, inShape.Pixels, inShape.Channels, output));
            case OpKind.Linear:
                return new(layer.Name, "Linear", inShape, outShape, (long)inShape.Channels * outShape.Channels,
                    () => Kernels.Linear(input, inShape.Channels, W(slices.Weights), W(slices.Bias), outShape.Channels, act, output));
            default:
                return null; // Normalize and Softmax: a few dozen ns.
        }
    }
}
