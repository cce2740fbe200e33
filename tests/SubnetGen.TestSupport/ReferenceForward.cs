using System;
using System.Collections.Generic;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;

namespace SubnetGen.TestSupport;

/// <summary>
/// Plain-loop HWC inference over extracted, folded weights in SubnetGen.Runtime's layouts
/// (docs/formats.md). The reference the generated code is compared to: no SIMD, no cleverness,
/// every op written out so a reader can check it against the format table.
/// Two drivers share the kernels: <see cref="Run(SubnetGraph, WeightLayout, float[], float[])"/>
/// gives every tensor its own buffer; <see cref="Run(SubnetArtifact, float[], float[])"/> runs in
/// one arena at the artifact's offsets, exactly like generated code (so a bad arena plan shows).
/// Pixels are HWC in [0,1]; the result holds the logits and the softmax probabilities.
/// </summary>
public static class ReferenceForward
{
    public sealed record Result(float[] Logits, float[] Probabilities);

    /// <summary>Runs the graph with one buffer per tensor.</summary>
    public static Result Run(SubnetGraph graph, WeightLayout layout, float[] weights, float[] pixels)
    {
        var buffers = new float[graph.Tensors.Count][];
        for (int t = 0; t < buffers.Length; t++) buffers[t] = new float[graph.Tensors[t].Length];
        var spec = graph.Spec.Input;
        float[] logits = Array.Empty<float>(), probabilities = Array.Empty<float>();
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var layer = graph.Layers[i];
            var w = layout.Layers[i];
            var inShape = layer.Input == Layer.External ? graph.InputShape : graph.Tensors[layer.Input];
            var outShape = layer.Output == Layer.External ? inShape : graph.Tensors[layer.Output];
            var input = layer.Input == Layer.External ? new Buf(pixels, 0) : new Buf(buffers[layer.Input], 0);
            var output = layer.Output == Layer.External ? new Buf(probabilities = new float[outShape.Length], 0) : new Buf(buffers[layer.Output], 0);
            var op = new Op(layer.Op, Shape(inShape), Shape(outShape), layer.Kernel, layer.Stride, layer.Activation.ToString(),
                layer.Residual == Layer.External ? (Buf?)null : new Buf(buffers[layer.Residual], 0),
                layer.Scratch == Layer.External ? (Buf?)null : new Buf(buffers[layer.Scratch], 0),
                layer.ReducedChannels, w.Weights.Offset, w.Bias.Offset, w.Weights2?.Offset ?? 0, w.Bias2?.Offset ?? 0);
            if (layer.Op == OpKind.Softmax) logits = Copy(input, inShape.Length);
            Execute(op, input, output, weights, spec.Mean, spec.Std);
        }
        return new Result(logits, probabilities);
    }

    /// <summary>Runs the artifact's layers in one arena of <c>arenaFloats</c> floats at the artifact's offsets.</summary>
    public static Result Run(SubnetArtifact artifact, float[] weights, float[] pixels)
    {
        var arena = new float[artifact.ArenaFloats];
        float[] logits = Array.Empty<float>(), probabilities = Array.Empty<float>();
        foreach (var layer in artifact.Layers)
        {
            Buf? Arena(ArtifactSlice? s) => s is null ? null : new Buf(arena, s.Offset);
            var input = Arena(layer.Input) ?? new Buf(pixels, 0);
            var output = Arena(layer.Output) ?? new Buf(probabilities = new float[layer.OutShape[2]], 0);
            var kind = (OpKind)Enum.Parse(typeof(OpKind), layer.Op, ignoreCase: true);
            var op = new Op(kind, layer.InShape, layer.OutShape, layer.Kernel ?? 1, layer.Stride ?? 1, layer.Activation ?? "none",
                Arena(layer.Residual), Arena(layer.Scratch), layer.Reduced ?? 0,
                layer.Weights?.Offset ?? 0, layer.Bias?.Offset ?? 0, layer.Weights2?.Offset ?? 0, layer.Bias2?.Offset ?? 0);
            if (kind == OpKind.Softmax) logits = Copy(input, layer.InShape[2]);
            Execute(op, input, output, weights, artifact.Input!.Mean, artifact.Input.Std);
        }
        return new Result(logits, probabilities);
    }

    private readonly record struct Buf(float[] Data, int Offset)
    {
        public float this[int i] { get => Data[Offset + i]; set => Data[Offset + i] = value; }
    }

    private sealed record Op(OpKind Kind, int[] In, int[] Out, int Kernel, int Stride, string Activation,
        Buf? Residual, Buf? Scratch, int Reduced, int W, int B, int W2, int B2);

    private static int[] Shape(TensorShape s) => new[] { s.Height, s.Width, s.Channels };

    private static float[] Copy(Buf b, int n)
    {
        var r = new float[n];
        for (int i = 0; i < n; i++) r[i] = b[i];
        return r;
    }

    private static void Execute(Op op, Buf x, Buf y, float[] w, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        int inH = op.In[0], inW = op.In[1], inC = op.In[2], outH = op.Out[0], outW = op.Out[1], outC = op.Out[2];
        int k = op.Kernel, pad = k / 2, s = op.Stride;
        switch (op.Kind)
        {
            case OpKind.Normalize:
                for (int i = 0; i < inH * inW * inC; i++) y[i] = (x[i] - mean[i % inC]) / std[i % inC];
                break;
            case OpKind.Conv:
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox++)
                        for (int o = 0; o < outC; o++)
                        {
                            double sum = w[op.B + o];
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * s - pad + ky, ix = ox * s - pad + kx;
                                    if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue;
                                    for (int c = 0; c < inC; c++)
                                        sum += x[(iy * inW + ix) * inC + c] * w[op.W + ((o * k + ky) * k + kx) * inC + c];
                                }
                            y[(oy * outW + ox) * outC + o] = Activate(op.Activation, (float)sum);
                        }
                break;
            case OpKind.Depthwise:
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox++)
                        for (int c = 0; c < inC; c++)
                        {
                            double sum = w[op.B + c];
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * s - pad + ky, ix = ox * s - pad + kx;
                                    if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue;
                                    sum += x[(iy * inW + ix) * inC + c] * w[op.W + (ky * k + kx) * inC + c];
                                }
                            y[(oy * outW + ox) * inC + c] = Activate(op.Activation, (float)sum);
                        }
                break;
            case OpKind.Pointwise:
                for (int p = 0; p < inH * inW; p++)
                    for (int o = 0; o < outC; o++)
                    {
                        double sum = w[op.B + o];
                        for (int c = 0; c < inC; c++) sum += x[p * inC + c] * w[op.W + c * outC + o];
                        float v = Activate(op.Activation, (float)sum);
                        if (op.Residual is { } r) v += r[p * outC + o];
                        y[p * outC + o] = v;
                    }
                break;
            case OpKind.SqueezeExcite:
            {
                int pixels = inH * inW, reduced = op.Reduced;
                var pooled = new double[inC];
                for (int p = 0; p < pixels; p++)
                    for (int c = 0; c < inC; c++) pooled[c] += x[p * inC + c];
                var hidden = new float[reduced];
                for (int r = 0; r < reduced; r++)
                {
                    double sum = w[op.B + r];
                    for (int c = 0; c < inC; c++) sum += w[op.W + r * inC + c] * (pooled[c] / pixels);
                    hidden[r] = Math.Max(0f, (float)sum);
                }
                var gate = new float[inC];
                for (int c = 0; c < inC; c++)
                {
                    double sum = w[op.B2 + c];
                    for (int r = 0; r < reduced; r++) sum += w[op.W2 + c * reduced + r] * hidden[r];
                    gate[c] = Activate("HSigmoid", (float)sum);
                }
                for (int p = 0; p < pixels; p++)
                    for (int c = 0; c < inC; c++) y[p * inC + c] = x[p * inC + c] * gate[c];
                break;
            }
            case OpKind.GlobalAveragePool:
                for (int c = 0; c < inC; c++)
                {
                    double sum = 0;
                    for (int p = 0; p < inH * inW; p++) sum += x[p * inC + c];
                    y[c] = (float)(sum / (inH * inW));
                }
                break;
            case OpKind.Linear:
                for (int o = 0; o < outC; o++)
                {
                    double sum = w[op.B + o];
                    for (int i = 0; i < inC; i++) sum += w[op.W + o * inC + i] * x[i];
                    y[o] = Activate(op.Activation, (float)sum);
                }
                break;
            case OpKind.Softmax:
            {
                var logits = new float[inC];
                for (int i = 0; i < inC; i++) logits[i] = x[i];
                var probabilities = SoftmaxReference.Of(logits);
                for (int i = 0; i < inC; i++) y[i] = (float)probabilities[i];
                break;
            }
            default:
                throw new NotSupportedException(op.Kind.ToString());
        }
    }

    /// <summary>none | relu | hswish = x·relu6(x+3)/6 | hsigmoid = relu6(x+3)/6 (case-insensitive).</summary>
    public static float Activate(string activation, float v) => activation.ToLowerInvariant() switch
    {
        "none" => v,
        "relu" => Math.Max(0f, v),
        "hswish" => v * Math.Min(6f, Math.Max(0f, v + 3f)) / 6f,
        "hsigmoid" => Math.Min(6f, Math.Max(0f, v + 3f)) / 6f,
        _ => throw new NotSupportedException(activation),
    };
}
