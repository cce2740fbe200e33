using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Ops;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Extract;

/// <summary>
/// OFA's <c>set_running_statistics</c>, done by the build: runs a subnet over the bundle's calibration images
/// in training-mode BN (each BN normalises with its batch's mean and biased variance) and returns, per BN, the
/// average over batches of the batch mean and the unbiased batch variance — what PyTorch's running statistics
/// hold after a reset and one pass with momentum 1/i, which is how the trainer recalibrates
/// (<c>SubnetEvaluator.Recalibrate</c>, batches of <see cref="DefaultBatchSize"/>). Spaces too large for a
/// shipped <c>bnstats.safetensors</c> (OFA) get their statistics this way at build time.
/// The convolutions are SubnetGen.Runtime's kernels on the unfolded weights in their exact arithmetic
/// (<see cref="OpRules.RunExact"/>, the activations too), so the statistics, and the weights a build folds
/// them into, are the same bytes on every CPU; images run in parallel, statistics are summed in image order in
/// double, so the result does not depend on the thread count either.
/// </summary>
public static class BatchNormCalibrator
{
    /// <summary>The trainer's recalibration batch (its <c>--evaluation-batch</c> default). Batch statistics depend on it.</summary>
    public const int DefaultBatchSize = 500;

    public static SortedDictionary<string, BatchNormStatistics> Recalibrate(SupernetSpec spec, IReadOnlyDictionary<string, WeightTensor> tensors,
        SubnetConfig config, CalibrationSet images, int batchSize = DefaultBatchSize, double epsilon = 1e-5)
    {
        if (batchSize < 2) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A BN batch needs at least 2 images.");
        Check(spec, images);
        var raw = SubnetExtractor.Extract(spec, tensors, config, new ExtractOptions { FoldBatchNorm = false });
        var pass = new Pass(raw, new TensorSource(tensors), images, epsilon);
        int batches = 0;
        for (int start = 0; start < images.Count; start += batchSize, batches++)
            pass.Run(start, Math.Min(batchSize, images.Count - start));
        return pass.Statistics(batches);
    }

    /// <summary>SNG4032 unless the calibration images are the supernet's input shape and there is at least one.</summary>
    public static void Check(SupernetSpec spec, CalibrationSet images)
    {
        var input = spec.Input;
        string? why = images.Count == 0 ? "it holds no images"
            : images.Height != input.Height || images.Width != input.Width || images.Channels != input.Channels
                ? string.Format(CultureInfo.InvariantCulture, "its images are {0}x{1}x{2}; the supernet's input is {3}x{4}x{5}",
                    images.Height, images.Width, images.Channels, input.Height, input.Width, input.Channels)
                : null;
        if (why is not null)
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.CalibrationUnusable,
                $"BN statistics cannot be recalibrated from {CalibrationSet.FileName}: {why}.", CalibrationSet.FileName, 0, 0,
                "export the bundle with calibration images from the training data (subnetgen-train run --calibration N), or ship bnstats.safetensors."));
    }

    /// <summary>One calibration pass over a subnet's lowered graph, layer by layer for a whole batch.</summary>
    private sealed class Pass
    {
        private readonly SubnetGraph _graph;
        private readonly WeightLayout _layout;
        private readonly float[] _weights;
        private readonly TensorSource _source;
        private readonly CalibrationSet _images;
        private readonly double _epsilon;
        private readonly float[] _mean, _std;
        private readonly int _lastBatchNorm;
        private readonly int[] _lastUse;
        private readonly SortedDictionary<string, (double[] Mean, double[] Var)> _sums = new(StringComparer.Ordinal);

        public Pass(ExtractedSubnet raw, TensorSource source, CalibrationSet images, double epsilon)
        {
            _graph = raw.Graph;
            _layout = raw.Layout;
            _weights = raw.Weights;
            _source = source;
            _images = images;
            _epsilon = epsilon;
            _mean = ToArray(_graph.Spec.Input.Mean);
            _std = ToArray(_graph.Spec.Input.Std);
            _lastBatchNorm = -1;
            _lastUse = new int[_graph.Tensors.Count];
            for (int i = 0; i < _graph.Layers.Count; i++)
            {
                var layer = _graph.Layers[i];
                if (OpRegistry.Of(layer.Op).HasBatchNorm) _lastBatchNorm = i;
                foreach (int t in new[] { layer.Input, layer.Residual, layer.Output })
                    if (t != Layer.External) _lastUse[t] = i;
            }
        }

        /// <summary>Images <paramref name="start"/>.. as one batch, up to the last BN (the rest cannot change a statistic).</summary>
        public void Run(int start, int count)
        {
            var activations = new float[]?[_graph.Tensors.Count];
            for (int i = 0; i <= _lastBatchNorm; i++)
            {
                var layer = _graph.Layers[i];
                var key = LayerKey.For(_graph, layer);
                var rules = key.Rules;
                // BN sits between a convolution and its activation and residual: the kernel runs without them.
                var kernelKey = key with { Activation = Activation.None, Residual = false };
                var slots = _layout.Layers[i];
                var inShape = CostModel.InputShape(_graph, layer);
                var outShape = CostModel.OutputShape(_graph, layer);
                float[]? input = layer.Input == Layer.External ? null : activations[layer.Input];
                float[] output = rules.InPlace ? input! : new float[count * outShape.Length];
                int inLength = inShape.Length, outLength = outShape.Length, scratch = rules.ScratchLength(key);
                var weights = _weights;
                Parallel.For(0, count, j =>
                {
                    float[] data = input ?? Scaled(start + j, inLength);
                    int from = input is null ? 0 : j * inLength;
                    rules.RunExact(kernelKey, new LayerBuffers
                    {
                        Input = data.AsSpan(from, inLength),
                        Output = output.AsSpan(j * outLength, outLength),
                        Scratch = scratch > 0 ? new float[scratch] : Span<float>.Empty,
                        Weights = Span(weights, slots.Weights),
                        Bias = Span(weights, slots.Bias),
                        Weights2 = Span(weights, slots.Weights2),
                        Bias2 = Span(weights, slots.Bias2),
                        Mean = _mean,
                        Std = _std,
                    });
                });

                if (rules.HasBatchNorm)
                {
                    TrainingBatchNorm(layer.Name + ".bn", output, count * outShape.Pixels, outShape.Channels);
                    Activations.Apply<ExactArithmetic>(output, layer.Activation);
                    if (layer.Residual != Layer.External)
                    {
                        var residual = activations[layer.Residual]!;
                        for (int k = 0; k < output.Length; k++) output[k] += residual[k];
                    }
                }
                if (layer.Output != Layer.External) activations[layer.Output] = output;
                for (int t = 0; t < activations.Length; t++)
                    if (activations[t] is not null && _lastUse[t] <= i) activations[t] = null;
            }
        }

        /// <summary>
        /// Calibration image <paramref name="index"/> as the model's input in [0, 1]: bytes / 255, or, for a subnet at a
        /// lower resolution than the images, the images resized by the app's own preprocessing (ImageInput).
        /// </summary>
        private float[] Scaled(int index, int length)
        {
            var pixels = _images.Image(index);
            var scaled = new float[length];
            var input = _graph.InputShape;
            if (input.Height == _images.Height && input.Width == _images.Width)
            {
                for (int p = 0; p < length; p++) scaled[p] = pixels.Array![pixels.Offset + p] / 255f;
                return scaled;
            }
            int channels = _images.Channels;
            var format = channels == 1 ? PixelFormat.Gray8 : PixelFormat.Rgb24;
            ImageInput.Normalize(pixels.AsSpan(), _images.Width, _images.Height, _images.Width * channels, format,
                input.Height, input.Width, channels, new float[channels], Ones(channels), scaled);
            return scaled;
        }

        private static float[] Ones(int channels)
        {
            var ones = new float[channels];
            for (int c = 0; c < channels; c++) ones[c] = 1f;
            return ones;
        }

        /// <summary>
        /// BN in training mode on <paramref name="data"/> [rows][channels]: adds this batch's mean and unbiased
        /// variance to the sums, then normalises with the batch mean and biased variance (as PyTorch does).
        /// </summary>
        private void TrainingBatchNorm(string name, float[] data, int rows, int channels)
        {
            var gamma = _source.Get(name + ".weight", channels).Data;
            var beta = _source.Get(name + ".bias", channels).Data;
            var mean = new double[channels];
            var variance = new double[channels];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < channels; c++)
                    mean[c] += data[r * channels + c];
            for (int c = 0; c < channels; c++) mean[c] /= rows;
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < channels; c++)
                {
                    double d = data[r * channels + c] - mean[c];
                    variance[c] += d * d;
                }
            if (!_sums.TryGetValue(name, out var sums))
                _sums[name] = sums = (new double[channels], new double[channels]);
            var scale = new float[channels];
            var shift = new float[channels];
            for (int c = 0; c < channels; c++)
            {
                double biased = variance[c] / rows;
                sums.Mean[c] += mean[c];
                sums.Var[c] += rows > 1 ? variance[c] / (rows - 1) : biased;
                double s = gamma[c] / Math.Sqrt(biased + _epsilon);
                scale[c] = (float)s;
                shift[c] = (float)(beta[c] - mean[c] * s);
            }
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < channels; c++)
                    data[r * channels + c] = data[r * channels + c] * scale[c] + shift[c];
        }

        /// <summary>The running statistics after <paramref name="batches"/> batches with momentum 1/i: the batch averages.</summary>
        public SortedDictionary<string, BatchNormStatistics> Statistics(int batches)
        {
            var result = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
            foreach (var entry in _sums)
            {
                var (name, sums) = (entry.Key, entry.Value);
                var mean = new float[sums.Mean.Length];
                var variance = new float[sums.Var.Length];
                for (int c = 0; c < mean.Length; c++)
                {
                    mean[c] = (float)(sums.Mean[c] / batches);
                    variance[c] = (float)(sums.Var[c] / batches);
                }
                result[name] = new BatchNormStatistics(mean, variance);
            }
            return result;
        }

        private static ReadOnlySpan<float> Span(float[] weights, Slice? slice) => slice is { } s ? new(weights, s.Offset, s.Length) : ReadOnlySpan<float>.Empty;

        private static float[] ToArray(IReadOnlyList<float> values)
        {
            var result = new float[values.Count];
            for (int i = 0; i < result.Length; i++) result[i] = values[i];
            return result;
        }
    }
}
