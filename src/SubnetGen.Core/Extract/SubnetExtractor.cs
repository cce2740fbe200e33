using System;
using System.Collections.Generic;
using System.Globalization;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Ops;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Extract;

/// <summary>
/// OFA's <c>get_active_subnet</c> followed by BN folding: for every layer of the lowered subnet, take
/// the first active channels of the supernet tensors, turn the largest depthwise kernel into the active
/// one (centre crop + kernel transformation matrices), fold BN into weight and bias, and store the
/// result in SubnetGen.Runtime's HWC layouts (docs/formats.md) at the offsets of <see cref="WeightLayout"/>.
/// </summary>
public static class SubnetExtractor
{
    /// <summary>
    /// Extracts <paramref name="config"/> from the bundle with recalibrated BN statistics, as OFA evaluates a
    /// subnet: the caller's (<paramref name="options"/>), else the bundle's <c>bnstats.safetensors</c> entry for
    /// the config, else statistics recalibrated now on the bundle's calibration images
    /// (<see cref="BatchNormCalibrator"/>; OFA spaces are too large to ship them). Only a bundle without
    /// calibration images falls back to the supernet's stored statistics.
    /// </summary>
    public static ExtractedSubnet Extract(SupernetBundle bundle, SubnetConfig config, ExtractOptions? options = null)
    {
        options ??= ExtractOptions.Default;
        if (options.BatchNormStatistics is not null) return Extract(bundle.Spec, bundle.Tensors, config, options);
        var (statistics, source) = bundle.BatchNormStatistics?.For(config) is { } shipped ? (shipped, BatchNormSource.Shipped)
            : bundle.Calibration.Count > 0
                ? (BatchNormCalibrator.Recalibrate(bundle.Spec, bundle.Tensors, config, bundle.Calibration, epsilon: options.BatchNormEpsilon), BatchNormSource.Recalibrated)
                : ((IReadOnlyDictionary<string, BatchNormStatistics>?)null, BatchNormSource.Stored);
        var withStatistics = new ExtractOptions { BatchNormStatistics = statistics, BatchNormEpsilon = options.BatchNormEpsilon };
        return Extract(bundle.Spec, bundle.Tensors, config, withStatistics) with { BatchNorm = source };
    }

    public static ExtractedSubnet Extract(SupernetSpec spec, IReadOnlyDictionary<string, WeightTensor> tensors, SubnetConfig config, ExtractOptions? options = null)
    {
        options ??= ExtractOptions.Default;
        var graph = Lower(spec, config);
        var layout = WeightLayout.Create(graph);
        var weights = new float[layout.TotalFloats];
        var source = new TensorSource(tensors);
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var layer = graph.Layers[i];
            var slots = layout.Layers[i];
            int inC = (layer.Input == Layer.External ? graph.InputShape : graph.Tensors[layer.Input]).Channels;
            int outC = layer.Output == Layer.External ? inC : graph.Tensors[layer.Output].Channels;
            switch (layer.Op)
            {
                case OpKind.Conv:
                {
                    var w = source.Get(layer.Name + ".conv.weight", outC, inC, layer.Kernel, layer.Kernel);
                    var bn = FoldedBatchNorm(source, layer.Name + ".bn", outC, options);
                    int k = layer.Kernel, khw = k * k, stride = w.Shape[1] * khw;
                    // OIHW → [outC][k][k][inC], scaled by the folded BN.
                    for (int o = 0; o < outC; o++)
                        for (int p = 0; p < khw; p++)
                            for (int c = 0; c < inC; c++)
                                weights[slots.Weights.Offset + (o * khw + p) * inC + c] = (float)(w.Data[o * stride + c * khw + p] * bn.Scale[o]);
                    WriteBias(weights, slots.Bias, bn.Shift);
                    break;
                }
                case OpKind.Depthwise:
                {
                    var kernel = ActiveDepthwiseKernel(source, spec.Space.KernelSizes, layer.Name, inC, layer.Kernel);
                    var bn = FoldedBatchNorm(source, layer.Name + ".bn", inC, options);
                    int khw = layer.Kernel * layer.Kernel;
                    // [C][k·k] → [k][k][C].
                    for (int c = 0; c < inC; c++)
                        for (int p = 0; p < khw; p++)
                            weights[slots.Weights.Offset + p * inC + c] = (float)(kernel[c * khw + p] * bn.Scale[c]);
                    WriteBias(weights, slots.Bias, bn.Shift);
                    break;
                }
                case OpKind.Pointwise:
                {
                    var w = source.Get(layer.Name + ".conv.weight", outC, inC, 1, 1);
                    var bn = FoldedBatchNorm(source, layer.Name + ".bn", outC, options);
                    int stride = w.Shape[1];
                    // [O][I] → [inC][outC].
                    for (int o = 0; o < outC; o++)
                        for (int c = 0; c < inC; c++)
                            weights[slots.Weights.Offset + c * outC + o] = (float)(w.Data[o * stride + c] * bn.Scale[o]);
                    WriteBias(weights, slots.Bias, bn.Shift);
                    break;
                }
                case OpKind.SqueezeExcite:
                {
                    int r = layer.ReducedChannels;
                    var reduce = source.Get(layer.Name + ".reduce.weight", r, inC, 1, 1);
                    var reduceBias = source.Get(layer.Name + ".reduce.bias", r);
                    var expand = source.Get(layer.Name + ".expand.weight", inC, r, 1, 1);
                    var expandBias = source.Get(layer.Name + ".expand.bias", inC);
                    // Both stay [out][in]: reduce [R][C], expand [C][R].
                    CopyRows(reduce, r, inC, weights, slots.Weights.Offset);
                    Array.Copy(reduceBias.Data, 0, weights, slots.Bias.Offset, r);
                    CopyRows(expand, inC, r, weights, slots.Weights2!.Value.Offset);
                    Array.Copy(expandBias.Data, 0, weights, slots.Bias2!.Value.Offset, inC);
                    break;
                }
                case OpKind.Linear:
                {
                    // The classifier is a Linear with bias; the feature mix is a bias-free 1×1 conv stored as conv.weight.
                    bool hasBias = source.Has(layer.Name + ".weight");
                    var w = hasBias
                        ? source.Get(layer.Name + ".weight", outC, inC)
                        : source.Get(layer.Name + ".conv.weight", outC, inC, 1, 1);
                    CopyRows(w, outC, inC, weights, slots.Weights.Offset);
                    if (hasBias) Array.Copy(source.Get(layer.Name + ".bias", outC).Data, 0, weights, slots.Bias.Offset, outC);
                    break;
                }
                case OpKind.Normalize:
                case OpKind.GlobalAveragePool:
                case OpKind.Softmax:
                    break;
                default:
                    throw new InvalidOperationException($"No extraction rule for {layer.Op}: add one to SubnetExtractor.Extract.");
            }
        }
        return new ExtractedSubnet(graph, layout, weights)
        {
            BatchNorm = options.BatchNormStatistics is null ? BatchNormSource.Stored : BatchNormSource.Given,
        };
    }

    /// <summary>
    /// The BNs <paramref name="config"/> uses (every layer whose op <see cref="OpRules.HasBatchNorm"/>, named
    /// <c>&lt;layer&gt;.bn</c>), in layer order, with the active channel count: the keys and lengths of
    /// <see cref="ExtractOptions.BatchNormStatistics"/> and of one config's entry in <c>bnstats.safetensors</c>.
    /// </summary>
    public static IReadOnlyList<ActiveBatchNorm> ActiveBatchNorms(SupernetSpec spec, SubnetConfig config)
    {
        var graph = Lower(spec, config);
        var result = new List<ActiveBatchNorm>();
        foreach (var layer in graph.Layers)
            if (OpRegistry.Of(layer.Op).HasBatchNorm)
                result.Add(new ActiveBatchNorm(layer.Name + ".bn", graph.Tensors[layer.Output].Channels));
        return result;
    }

    private static SubnetGraph Lower(SupernetSpec spec, SubnetConfig config)
    {
        try { return GraphBuilder.Build(spec, config); }
        catch (ArgumentException e)
        {
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.ExtractConfigInvalid, e.Message, null, 0, 0,
                "pick a config from the supernet's design space (subnetgen search lists them)."), e);
        }
    }

    /// <summary>
    /// OFA's <c>DynamicSeparableConv2d.get_active_filter</c> for the first <paramref name="channels"/>
    /// channels: start from the stored (largest) kernel and, for each legal kernel size below it down to
    /// <paramref name="kernel"/>, centre-crop to the next size and multiply each channel's flattened
    /// kernel by that step's transformation matrix (y = x·Tᵀ). Returns [channels][kernel·kernel].
    /// </summary>
    internal static double[] ActiveDepthwiseKernel(TensorSource source, IReadOnlyList<int> kernelSizes, string name, int channels, int kernel)
    {
        var stored = source.Get(name + ".conv.weight", channels, 1, -1, -1);
        int size = stored.Shape[2];
        if (stored.Shape[3] != size || size < kernel || (size - kernel) % 2 != 0)
            throw source.ShapeError(name + ".conv.weight", stored, $"a square kernel of at least {kernel}");
        var current = new double[channels * size * size];
        for (int i = 0; i < current.Length; i++) current[i] = stored.Data[i];

        for (int i = kernelSizes.Count - 1; i > 0 && size > kernel; i--)
        {
            int from = kernelSizes[i], to = kernelSizes[i - 1];
            if (from > size) continue;
            if (from != size)
                throw source.ShapeError(name + ".conv.weight", stored, $"kernel {size} to be one of the legal sizes {string.Join(", ", kernelSizes)}");
            string transformName = SupernetTensors.TransformName(name, from, to);
            var transform = source.Get(transformName, to * to, to * to);
            current = TransformKernels(CentreCrop(current, channels, from, to), channels, to, transform.Data);
            size = to;
        }
        if (size != kernel)
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.ExtractConfigInvalid,
                $"Kernel {kernel} for {name} is not reachable from the stored kernel through the legal sizes {string.Join(", ", kernelSizes)}.",
                null, 0, 0, "use a kernel size listed in supernet.json's space.kernelSizes."));
        return current;
    }

    /// <summary>Centre <paramref name="to"/>×<paramref name="to"/> window of each channel's <paramref name="from"/>×<paramref name="from"/> kernel.</summary>
    internal static double[] CentreCrop(double[] kernels, int channels, int from, int to)
    {
        int start = from / 2 - to / 2;
        var result = new double[channels * to * to];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < to; y++)
                for (int x = 0; x < to; x++)
                    result[(c * to + y) * to + x] = kernels[(c * from + start + y) * from + start + x];
        return result;
    }

    /// <summary>F.linear over each channel's flattened k×k kernel: y[j] = Σᵢ x[i]·T[j,i].</summary>
    internal static double[] TransformKernels(double[] kernels, int channels, int k, float[] transform)
    {
        int n = k * k;
        var result = new double[kernels.Length];
        for (int c = 0; c < channels; c++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += kernels[c * n + i] * transform[j * n + i];
                result[c * n + j] = sum;
            }
        return result;
    }

    /// <summary>Eval-mode BN as y = x·Scale + Shift: Scale = γ/√(var+eps), Shift = β − mean·Scale.</summary>
    internal readonly record struct BatchNormFold(double[] Scale, double[] Shift);

    internal static BatchNormFold FoldedBatchNorm(TensorSource source, string bn, int channels, ExtractOptions options)
    {
        if (!options.FoldBatchNorm)
        {
            var one = new double[channels];
            for (int c = 0; c < channels; c++) one[c] = 1;
            return new BatchNormFold(one, new double[channels]);
        }
        var gamma = source.Get(bn + ".weight", channels).Data;
        var beta = source.Get(bn + ".bias", channels).Data;
        float[] mean = source.Get(bn + ".running_mean", channels).Data, variance = source.Get(bn + ".running_var", channels).Data;
        if (options.BatchNormStatistics is { } recalibrated && recalibrated.TryGetValue(bn, out var stats))
        {
            int full = source.Get(bn + ".weight", channels).Shape[0];
            foreach (var array in new[] { stats.RunningMean, stats.RunningVar })
                if (array.Length != channels && array.Length != full)
                    throw new SubnetGenException(new Diagnostic(DiagnosticCodes.BatchNormStatisticsInvalid,
                        string.Format(CultureInfo.InvariantCulture, "Recalibrated statistics for {0} have {1} values; the subnet uses {2} channels of {3}.", bn, array.Length, channels, full),
                        null, 0, 0, "pass the running mean and var of the active channels (or of all channels) for each BN."));
            mean = stats.RunningMean;
            variance = stats.RunningVar;
        }
        return Fold(gamma, beta, mean, variance, channels, options.BatchNormEpsilon);
    }

    internal static BatchNormFold Fold(float[] gamma, float[] beta, float[] mean, float[] variance, int channels, double epsilon)
    {
        var scale = new double[channels];
        var shift = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] / Math.Sqrt(variance[c] + epsilon);
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        return new BatchNormFold(scale, shift);
    }

    private static void WriteBias(float[] weights, Slice bias, double[] values)
    {
        for (int i = 0; i < bias.Length; i++) weights[bias.Offset + i] = (float)values[i];
    }

    /// <summary>First <paramref name="rows"/>×<paramref name="columns"/> of a [R, C, …1] tensor, row-major.</summary>
    private static void CopyRows(WeightTensor tensor, int rows, int columns, float[] destination, int offset)
    {
        int stride = tensor.Shape[1];
        for (int r = 0; r < rows; r++) Array.Copy(tensor.Data, r * stride, destination, offset + r * columns, columns);
    }
}
