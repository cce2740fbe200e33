using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Tests.Extract;

/// <summary>
/// The supernet's own eval-mode forward pass for one subnet config, written independently of the
/// extractor and the graph: NCHW, PyTorch tensor layouts, channels sliced from the supernet tensors
/// as OFA's dynamic modules do, elastic kernels by OFA's get_active_filter, BN un-folded.
/// What the trainer's TorchSharp supernet computes in eval mode.
/// </summary>
internal static class NaiveSupernetForward
{
    private sealed class Map
    {
        public Map(int c, int h, int w) { C = c; H = h; W = w; D = new double[c * h * w]; }
        public int C { get; }
        public int H { get; }
        public int W { get; }
        public double[] D { get; }
        public ref double At(int c, int y, int x) => ref D[(c * H + y) * W + x];
    }

    public static (float[] Logits, float[] Probabilities) Run(SupernetSpec spec, IReadOnlyDictionary<string, WeightTensor> t, SubnetConfig config,
        float[] pixelsHwc, IReadOnlyDictionary<string, (float[] Mean, float[] Var)>? bnStats = null)
    {
        var inp = spec.Input;
        var x = new Map(inp.Channels, inp.Height, inp.Width);
        for (int y = 0; y < inp.Height; y++)
            for (int xx = 0; xx < inp.Width; xx++)
                for (int c = 0; c < inp.Channels; c++)
                    x.At(c, y, xx) = (pixelsHwc[(y * inp.Width + xx) * inp.Channels + c] - (double)inp.Mean[c]) / inp.Std[c];

        Map Bn(Map m, string name)
        {
            var g = t[name + ".weight"].Data; var b = t[name + ".bias"].Data;
            float[] mean = t[name + ".running_mean"].Data, var = t[name + ".running_var"].Data;
            if (bnStats is not null && bnStats.TryGetValue(name, out var s)) { mean = s.Mean; var = s.Var; }
            var r = new Map(m.C, m.H, m.W);
            for (int c = 0; c < m.C; c++)
                for (int i = 0; i < m.H * m.W; i++)
                    r.D[c * m.H * m.W + i] = (m.D[c * m.H * m.W + i] - mean[c]) / Math.Sqrt(var[c] + 1e-5) * g[c] + b[c];
            return r;
        }

        // stem
        int stemK = spec.Stem.Kernel;
        x = Act(Bn(Conv(x, Slice(t["stem.conv.weight"], spec.Stem.OutChannels, inp.Channels), spec.Stem.OutChannels, stemK, spec.Stem.Stride, depthwise: false), "stem.bn"), spec.Stem.Activation);

        // first block: dw + project, identity shortcut when widths match
        var shortcut = x;
        x = Act(Bn(Conv(x, Slice(t["first.dw.conv.weight"], x.C, 1), x.C, spec.FirstBlock.Kernel, 1, depthwise: true), "first.dw.bn"), spec.FirstBlock.Activation);
        x = Bn(Conv(x, Slice(t["first.project.conv.weight"], spec.FirstBlock.OutChannels, x.C), spec.FirstBlock.OutChannels, 1, 1, false), "first.project.bn");
        if (shortcut.C == x.C) x = Add(x, shortcut);

        for (int s = 0; s < spec.Stages.Count; s++)
        {
            var stage = spec.Stages[s];
            for (int b = 0; b < config.Stages[s].Count; b++)
            {
                var block = config.Stages[s][b];
                string p = $"stages.{s}.blocks.{b}";
                int cin = x.C, mid = MakeDivisible(cin * block.ExpandRatio, 8), stride = b == 0 ? stage.Stride : 1;
                var input = x;
                x = Act(Bn(Conv(x, Slice(t[p + ".expand.conv.weight"], mid, cin), mid, 1, 1, false), p + ".expand.bn"), stage.Activation);
                var kernel = ActiveFilter(t, p + ".dw", mid, block.KernelSize, spec.Space.KernelSizes);
                x = Act(Bn(Conv(x, kernel, mid, block.KernelSize, stride, true), p + ".dw.bn"), stage.Activation);
                if (stage.SqueezeExcite) x = SqueezeExcite(x, t, p + ".se", MakeDivisible(mid / 4, 8));
                x = Bn(Conv(x, Slice(t[p + ".project.conv.weight"], stage.Width, mid), stage.Width, 1, 1, false), p + ".project.bn");
                if (stride == 1 && input.C == x.C) x = Add(x, input);
            }
        }

        x = Act(Bn(Conv(x, Slice(t["head.final_expand.conv.weight"], spec.Head.FinalExpandChannels, x.C), spec.Head.FinalExpandChannels, 1, 1, false), "head.final_expand.bn"), Activation.HSwish);
        var pooled = Enumerable.Range(0, x.C).Select(c => Enumerable.Range(0, x.H * x.W).Sum(i => x.D[c * x.H * x.W + i]) / (x.H * x.W)).ToArray();
        var mixW = t["head.feature_mix.conv.weight"];
        var mix = Enumerable.Range(0, spec.Head.FeatureMixChannels)
            .Select(o => HSwish(Enumerable.Range(0, pooled.Length).Sum(i => mixW.Data[o * mixW.Shape[1] + i] * pooled[i]))).ToArray();
        var clsW = t["head.classifier.weight"]; var clsB = t["head.classifier.bias"];
        var logits = Enumerable.Range(0, spec.ClassCount)
            .Select(o => clsB.Data[o] + Enumerable.Range(0, mix.Length).Sum(i => clsW.Data[o * clsW.Shape[1] + i] * mix[i])).ToArray();
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        double total = exp.Sum();
        return (logits.Select(l => (float)l).ToArray(), exp.Select(e => (float)(e / total)).ToArray());
    }

    public static int MakeDivisible(double v, int divisor)
    {
        int result = Math.Max(divisor, (int)(v + divisor / 2.0) / divisor * divisor);
        return result < 0.9 * v ? result + divisor : result;
    }

    /// <summary>OFA DynamicSeparableConv2d.get_active_filter, NCHW: returns [channels][k][k].</summary>
    public static double[] ActiveFilter(IReadOnlyDictionary<string, WeightTensor> t, string dw, int channels, int k, IReadOnlyList<int> ksSet)
    {
        var w = t[dw + ".conv.weight"];
        int max = w.Shape[2];
        var filter = Slice(w, channels, 1); // [channels][max][max]
        if (k == max) return filter;
        int size = max;
        for (int i = ksSet.Count - 1; i > 0; i--)
        {
            int src = ksSet[i];
            if (src <= k) break;
            int target = ksSet[i - 1], start = src / 2 - target / 2, n = target * target;
            var m = t[$"{dw}.transform_{src}to{target}"].Data;
            var next = new double[channels * n];
            for (int c = 0; c < channels; c++)
            {
                var sub = new double[n];
                for (int y = 0; y < target; y++)
                    for (int x = 0; x < target; x++)
                        sub[y * target + x] = filter[(c * size + start + y) * size + start + x];
                for (int j = 0; j < n; j++) next[c * n + j] = Enumerable.Range(0, n).Sum(i2 => sub[i2] * m[j * n + i2]);
            }
            filter = next;
            size = target;
        }
        return filter;
    }

    /// <summary>First <paramref name="o"/> output and <paramref name="i"/> input channels of an [O, I, kh, kw] tensor.</summary>
    private static double[] Slice(WeightTensor w, int o, int i)
    {
        int kk = w.Shape[2] * w.Shape[3], fullI = w.Shape[1];
        var r = new double[o * i * kk];
        for (int a = 0; a < o; a++)
            for (int b = 0; b < i; b++)
                for (int p = 0; p < kk; p++) r[(a * i + b) * kk + p] = w.Data[(a * fullI + b) * kk + p];
        return r;
    }

    private static Map Conv(Map x, double[] w, int outC, int k, int stride, bool depthwise)
    {
        int pad = k / 2, oh = (x.H - 1) / stride + 1, ow = (x.W - 1) / stride + 1;
        var y = new Map(outC, oh, ow);
        int inPerGroup = depthwise ? 1 : x.C;
        for (int o = 0; o < outC; o++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double sum = 0;
                    for (int ci = 0; ci < inPerGroup; ci++)
                    {
                        int c = depthwise ? o : ci;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy < 0 || iy >= x.H || ix < 0 || ix >= x.W) continue;
                                sum += x.At(c, iy, ix) * w[((o * inPerGroup + ci) * k + ky) * k + kx];
                            }
                    }
                    y.At(o, oy, ox) = sum;
                }
        return y;
    }

    private static Map SqueezeExcite(Map x, IReadOnlyDictionary<string, WeightTensor> t, string se, int reduced)
    {
        int hw = x.H * x.W;
        var pooled = Enumerable.Range(0, x.C).Select(c => Enumerable.Range(0, hw).Sum(i => x.D[c * hw + i]) / hw).ToArray();
        var rw = t[se + ".reduce.weight"]; var rb = t[se + ".reduce.bias"]; var ew = t[se + ".expand.weight"]; var eb = t[se + ".expand.bias"];
        var hidden = Enumerable.Range(0, reduced).Select(r => Math.Max(0, rb.Data[r] + Enumerable.Range(0, x.C).Sum(c => rw.Data[r * rw.Shape[1] + c] * pooled[c]))).ToArray();
        var gate = Enumerable.Range(0, x.C).Select(c => HSigmoid(eb.Data[c] + Enumerable.Range(0, reduced).Sum(r => ew.Data[c * ew.Shape[1] + r] * hidden[r]))).ToArray();
        var y = new Map(x.C, x.H, x.W);
        for (int c = 0; c < x.C; c++)
            for (int i = 0; i < hw; i++) y.D[c * hw + i] = x.D[c * hw + i] * gate[c];
        return y;
    }

    private static Map Add(Map a, Map b)
    {
        var y = new Map(a.C, a.H, a.W);
        for (int i = 0; i < y.D.Length; i++) y.D[i] = a.D[i] + b.D[i];
        return y;
    }

    private static Map Act(Map x, Activation a)
    {
        var y = new Map(x.C, x.H, x.W);
        for (int i = 0; i < y.D.Length; i++)
            y.D[i] = a switch
            {
                Activation.None => x.D[i],
                Activation.Relu => Math.Max(0, x.D[i]),
                Activation.HSwish => HSwish(x.D[i]),
                Activation.HSigmoid => HSigmoid(x.D[i]),
                _ => throw new NotSupportedException(),
            };
        return y;
    }

    private static double HSigmoid(double v) => Math.Min(6, Math.Max(0, v + 3)) / 6;
    private static double HSwish(double v) => v * HSigmoid(v);
}
