using System;
using System.Collections.Generic;
using System.Numerics;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// OFA's accuracy predictor: an MLP on <see cref="ArchitectureEncoding"/> (one-hot kernel and expand per
/// block slot), ReLU between layers, none after the last; accuracy = raw · scale + offset.
/// Weights are stored transposed ([in][out]) so the forward pass is a row of axpys that skips the zero
/// inputs, which are most of a one-hot encoding and about half of every ReLU output. Thread-safe.
/// </summary>
public sealed class MlpPredictor : IAccuracyPredictor
{
    private readonly SupernetSpec _spec;
    private readonly float[][] _transposed;   // per layer: [in · out], row i = weights from input i
    private readonly float[][] _bias;
    private readonly int[] _inputs, _outputs;
    private readonly double _scale, _offset;

    /// <param name="layers">Per layer the weights as [out, in] (PyTorch's nn.Linear layout) and the bias [out].</param>
    public MlpPredictor(SupernetSpec spec, IReadOnlyList<(float[,] Weights, float[] Bias)> layers, double scale, double offset)
    {
        _spec = spec;
        if (layers.Count == 0) throw Mismatch("it has no layers");
        if (double.IsNaN(scale) || double.IsInfinity(scale) || double.IsNaN(offset) || double.IsInfinity(offset))
            throw Mismatch("outputScale and outputOffset must be finite");
        _scale = scale;
        _offset = offset;
        _transposed = new float[layers.Count][];
        _bias = new float[layers.Count][];
        _inputs = new int[layers.Count];
        _outputs = new int[layers.Count];
        int expected = ArchitectureEncoding.Length(spec);
        for (int l = 0; l < layers.Count; l++)
        {
            var (weights, bias) = layers[l];
            int outputs = weights.GetLength(0), inputs = weights.GetLength(1);
            if (inputs != expected)
                throw Mismatch(l == 0
                    ? $"layer 1 takes {inputs} inputs, but the {spec.Space.Family} encoding of this supernet has {expected}"
                    : $"layer {l + 1} takes {inputs} inputs, but layer {l} has {expected} outputs");
            if (bias.Length != outputs) throw Mismatch($"layer {l + 1} has {outputs} outputs but {bias.Length} biases");
            var t = new float[inputs * outputs];
            for (int o = 0; o < outputs; o++)
            for (int i = 0; i < inputs; i++)
            {
                float w = weights[o, i];
                if (float.IsNaN(w) || float.IsInfinity(w)) throw Mismatch($"layer {l + 1} has a weight that is not finite");
                t[i * outputs + o] = w;
            }
            foreach (float b in bias)
                if (float.IsNaN(b) || float.IsInfinity(b)) throw Mismatch($"layer {l + 1} has a bias that is not finite");
            _transposed[l] = t;
            _bias[l] = (float[])bias.Clone();
            _inputs[l] = inputs;
            _outputs[l] = outputs;
            expected = outputs;
        }
        if (expected != 1) throw Mismatch($"the last layer has {expected} outputs; a predictor has exactly one");
    }

    public int InputLength => _inputs[0];

    public double Predict(SubnetConfig config)
    {
        float[] x = ArchitectureEncoding.Encode(_spec, config);
        for (int l = 0; l < _transposed.Length; l++)
        {
            int outputs = _outputs[l];
            var y = (float[])_bias[l].Clone();
            float[] w = _transposed[l];
            // Gather the non-zero inputs, then add four weight rows per pass over y (a quarter of the y traffic).
            int count = 0;
            var nonZero = new int[x.Length];
            for (int i = 0; i < x.Length; i++) if (x[i] != 0f) nonZero[count++] = i;
            int j = 0;
            for (; j + 4 <= count; j += 4)
            {
                int i0 = nonZero[j], i1 = nonZero[j + 1], i2 = nonZero[j + 2], i3 = nonZero[j + 3];
                Axpy4(x[i0], x[i1], x[i2], x[i3], w, i0 * outputs, i1 * outputs, i2 * outputs, i3 * outputs, y);
            }
            for (; j < count; j++) Axpy(x[nonZero[j]], w, nonZero[j] * outputs, y);
            if (l < _transposed.Length - 1)
                for (int o = 0; o < outputs; o++) if (y[o] < 0f) y[o] = 0f;
            x = y;
        }
        return x[0] * _scale + _offset;
    }

    // y += a·w[o0..] + b·w[o1..] + c·w[o2..] + d·w[o3..]
    private static void Axpy4(float a, float b, float c, float d, float[] w, int o0, int o1, int o2, int o3, float[] y)
    {
        int n = y.Length, o = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            Vector<float> va = new(a), vb = new(b), vc = new(c), vd = new(d);
            for (; o <= n - Vector<float>.Count; o += Vector<float>.Count)
            {
                // Added in the scalar tail's order, so every output has the same bits whichever path it took
                // (which ones do depends on the CPU's vector width).
                var products = va * new Vector<float>(w, o0 + o) + vb * new Vector<float>(w, o1 + o)
                             + vc * new Vector<float>(w, o2 + o) + vd * new Vector<float>(w, o3 + o);
                (new Vector<float>(y, o) + products).CopyTo(y, o);
            }
        }
        for (; o < n; o++) y[o] += a * w[o0 + o] + b * w[o1 + o] + c * w[o2 + o] + d * w[o3 + o];
    }

    // y += a · w[offset .. offset + y.Length)
    private static void Axpy(float a, float[] w, int offset, float[] y)
    {
        int n = y.Length, o = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var va = new Vector<float>(a);
            for (; o <= n - Vector<float>.Count; o += Vector<float>.Count)
                (new Vector<float>(y, o) + va * new Vector<float>(w, offset + o)).CopyTo(y, o);
        }
        for (; o < n; o++) y[o] += a * w[offset + o];
    }

    private static SubnetGenException Mismatch(string what) => new(new Diagnostic(
        DiagnosticCodes.PredictorShapeMismatch, $"The accuracy predictor does not fit this supernet: {what}.",
        Fix: "Retrain or re-export predictor.json for this supernet (subnetgen-train), so its first layer takes the architecture encoding and its last layer has one output."));
}
