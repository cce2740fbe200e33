using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static SubnetGen.Runtime.Simd;

namespace SubnetGen.Runtime;

/// <summary>
/// The SIMD path over <see cref="Vector{T}"/> (8 floats with AVX2, 4 with NEON/SSE). Each kernel
/// computes exactly what its <see cref="ScalarKernels"/> twin does. Convolutions sum each output in
/// the twin's order and are generic over <see cref="IArithmetic"/>: with fused multiply-adds
/// (<see cref="FastArithmetic"/>) results agree with the twin to rounding, without them
/// (<see cref="ExactArithmetic"/>) bit for bit; so do the activations. Pooling, squeeze-excite and
/// linear sum in another order and have the fast form only. Loads and stores are unchecked: every loop bound below keeps
/// them inside the spans that <see cref="Kernels"/> validated.
/// </summary>
internal static class VectorKernels
{
    /// <summary>Largest transposed stem weight tensor (floats) that <see cref="Conv2d"/> builds on the stack.</summary>
    internal const int MaxConvStackFloats = 8192;

    // ---------------------------------------------------------------- conv (stem)

    /// <summary>
    /// Full convolution, vectorised over output channels. The [outC][k][k][inC] weights are
    /// transposed onto the stack as [k][k][inC][outC] (cheap: the stem is small), so each input
    /// value is broadcast against a contiguous run of output channels. Convolutions too large for
    /// the stack use the scalar path.
    /// </summary>
    public static void Conv2d<TArithmetic>(ReadOnlySpan<float> input, int inH, int inW, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outC, int kernel, int stride, Activation activation, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        int taps = kernel * kernel * inC;
        if (outC < Width || (long)taps * outC > MaxConvStackFloats)
        {
            ScalarKernels.Conv2d(input, inH, inW, inC, weights, bias, outC, kernel, stride, activation, output);
            return;
        }
        Span<float> transposed = stackalloc float[taps * outC];
        for (int oc = 0; oc < outC; oc++)
        for (int t = 0; t < taps; t++)
            transposed[t * outC + oc] = weights[oc * taps + t];
        Conv2dTransposed<TArithmetic>(input, inH, inW, inC, transposed, bias, outC, kernel, stride, activation, output);
    }

    private static void Conv2dTransposed<TArithmetic>(ReadOnlySpan<float> input, int inH, int inW, int inC, ReadOnlySpan<float> wt, ReadOnlySpan<float> bias,
        int outC, int kernel, int stride, Activation activation, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        TArithmetic arithmetic = default;
        int v = Width, pad = kernel / 2;
        int outH = (inH - 1) / stride + 1, outW = (inW - 1) / stride + 1;
        ref float inRef = ref MemoryMarshal.GetReference(input);
        ref float wRef = ref MemoryMarshal.GetReference(wt);
        ref float bRef = ref MemoryMarshal.GetReference(bias);
        ref float outRef = ref MemoryMarshal.GetReference(output);

        for (int oy = 0; oy < outH; oy++)
        {
            int iy0 = oy * stride - pad;
            int kyStart = Math.Max(0, -iy0), kyEnd = Math.Min(kernel, inH - iy0);
            for (int ox = 0; ox < outW; ox++)
            {
                int ix0 = ox * stride - pad;
                int kxStart = Math.Max(0, -ix0), kxEnd = Math.Min(kernel, inW - ix0);
                int outBase = (oy * outW + ox) * outC;
                int o = 0;
                for (; o + 2 * v <= outC; o += 2 * v)
                {
                    Vector<float> a0 = Load(ref bRef, o), a1 = Load(ref bRef, o + v);
                    for (int ky = kyStart; ky < kyEnd; ky++)
                    for (int kx = kxStart; kx < kxEnd; kx++)
                    {
                        int inBase = ((iy0 + ky) * inW + ix0 + kx) * inC;
                        int wBase = (ky * kernel + kx) * inC * outC + o;
                        for (int ic = 0; ic < inC; ic++)
                        {
                            var x = new Vector<float>(At(ref inRef, inBase + ic));
                            a0 = arithmetic.MultiplyAdd(x, Load(ref wRef, wBase + ic * outC), a0);
                            a1 = arithmetic.MultiplyAdd(x, Load(ref wRef, wBase + ic * outC + v), a1);
                        }
                    }
                    Store(arithmetic.Activate(a0, activation), ref outRef, outBase + o);
                    Store(arithmetic.Activate(a1, activation), ref outRef, outBase + o + v);
                }
                for (; o < outC; o += v)
                {
                    // The last block may overlap the previous one; recomputing a few channels is
                    // cheaper than a scalar tail and writes the same values.
                    if (o + v > outC) o = outC - v;
                    Vector<float> a = Load(ref bRef, o);
                    for (int ky = kyStart; ky < kyEnd; ky++)
                    for (int kx = kxStart; kx < kxEnd; kx++)
                    {
                        int inBase = ((iy0 + ky) * inW + ix0 + kx) * inC;
                        int wBase = (ky * kernel + kx) * inC * outC + o;
                        for (int ic = 0; ic < inC; ic++)
                            a = arithmetic.MultiplyAdd(new Vector<float>(At(ref inRef, inBase + ic)), Load(ref wRef, wBase + ic * outC), a);
                    }
                    Store(arithmetic.Activate(a, activation), ref outRef, outBase + o);
                }
            }
        }
    }

    // ---------------------------------------------------------------- depthwise

    /// <summary>
    /// Depthwise convolution, vectorised over channels: 4 vectors at a time for ILP, then 2, then one
    /// (possibly overlapping) vector; taps clipped to the image. Input and weight references step by
    /// <c>channels</c> along a kernel row instead of recomputing both indices per tap.
    /// </summary>
    public static void Depthwise<TArithmetic>(ReadOnlySpan<float> input, int inH, int inW, int channels, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int kernel, int stride, Activation activation, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        TArithmetic arithmetic = default;
        int v = Width;
        if (channels < v)
        {
            ScalarKernels.Depthwise(input, inH, inW, channels, weights, bias, kernel, stride, activation, output);
            return;
        }
        int pad = kernel / 2, c = channels;
        int outH = (inH - 1) / stride + 1, outW = (inW - 1) / stride + 1;
        ref float inRef = ref MemoryMarshal.GetReference(input);
        ref float wRef = ref MemoryMarshal.GetReference(weights);
        ref float bRef = ref MemoryMarshal.GetReference(bias);
        ref float outRef = ref MemoryMarshal.GetReference(output);

        for (int oy = 0; oy < outH; oy++)
        {
            int iy0 = oy * stride - pad;
            int kyStart = Math.Max(0, -iy0), kyEnd = Math.Min(kernel, inH - iy0);
            for (int ox = 0; ox < outW; ox++)
            {
                int ix0 = ox * stride - pad;
                int kxStart = Math.Max(0, -ix0), kxEnd = Math.Min(kernel, inW - ix0);
                int taps = kxEnd - kxStart;
                // First tap of the clipped window: input pixel and weight, channel 0.
                int inStart = ((iy0 + kyStart) * inW + ix0 + kxStart) * c, wStart = (kyStart * kernel + kxStart) * c;
                int inRow = inW * c, wRow = kernel * c;
                int outBase = (oy * outW + ox) * c;
                int ch = 0;
                for (; ch + 4 * v <= c; ch += 4 * v)
                {
                    Vector<float> a0 = Load(ref bRef, ch), a1 = Load(ref bRef, ch + v);
                    Vector<float> a2 = Load(ref bRef, ch + 2 * v), a3 = Load(ref bRef, ch + 3 * v);
                    for (int ky = kyStart; ky < kyEnd; ky++)
                    {
                        ref float x = ref Unsafe.Add(ref inRef, inStart + (ky - kyStart) * inRow + ch);
                        ref float w = ref Unsafe.Add(ref wRef, wStart + (ky - kyStart) * wRow + ch);
                        for (int t = 0; t < taps; t++)
                        {
                            a0 = arithmetic.MultiplyAdd(Load(ref x, 0), Load(ref w, 0), a0);
                            a1 = arithmetic.MultiplyAdd(Load(ref x, v), Load(ref w, v), a1);
                            a2 = arithmetic.MultiplyAdd(Load(ref x, 2 * v), Load(ref w, 2 * v), a2);
                            a3 = arithmetic.MultiplyAdd(Load(ref x, 3 * v), Load(ref w, 3 * v), a3);
                            x = ref Unsafe.Add(ref x, c);
                            w = ref Unsafe.Add(ref w, c);
                        }
                    }
                    Store(arithmetic.Activate(a0, activation), ref outRef, outBase + ch);
                    Store(arithmetic.Activate(a1, activation), ref outRef, outBase + ch + v);
                    Store(arithmetic.Activate(a2, activation), ref outRef, outBase + ch + 2 * v);
                    Store(arithmetic.Activate(a3, activation), ref outRef, outBase + ch + 3 * v);
                }
                for (; ch + 2 * v <= c; ch += 2 * v)
                {
                    Vector<float> a0 = Load(ref bRef, ch), a1 = Load(ref bRef, ch + v);
                    for (int ky = kyStart; ky < kyEnd; ky++)
                    {
                        ref float x = ref Unsafe.Add(ref inRef, inStart + (ky - kyStart) * inRow + ch);
                        ref float w = ref Unsafe.Add(ref wRef, wStart + (ky - kyStart) * wRow + ch);
                        for (int t = 0; t < taps; t++)
                        {
                            a0 = arithmetic.MultiplyAdd(Load(ref x, 0), Load(ref w, 0), a0);
                            a1 = arithmetic.MultiplyAdd(Load(ref x, v), Load(ref w, v), a1);
                            x = ref Unsafe.Add(ref x, c);
                            w = ref Unsafe.Add(ref w, c);
                        }
                    }
                    Store(arithmetic.Activate(a0, activation), ref outRef, outBase + ch);
                    Store(arithmetic.Activate(a1, activation), ref outRef, outBase + ch + v);
                }
                for (; ch < c; ch += v)
                {
                    if (ch + v > c) ch = c - v; // overlapping last block, see Conv2dTransposed
                    Vector<float> a = Load(ref bRef, ch);
                    for (int ky = kyStart; ky < kyEnd; ky++)
                    {
                        ref float x = ref Unsafe.Add(ref inRef, inStart + (ky - kyStart) * inRow + ch);
                        ref float w = ref Unsafe.Add(ref wRef, wStart + (ky - kyStart) * wRow + ch);
                        for (int t = 0; t < taps; t++)
                        {
                            a = arithmetic.MultiplyAdd(Load(ref x, 0), Load(ref w, 0), a);
                            x = ref Unsafe.Add(ref x, c);
                            w = ref Unsafe.Add(ref w, c);
                        }
                    }
                    Store(arithmetic.Activate(a, activation), ref outRef, outBase + ch);
                }
            }
        }
    }

    // ---------------------------------------------------------------- pointwise (GEMM)

    /// <summary>Widest input (floats per pixel) whose 4-pixel interleaved copy <see cref="Pointwise"/> builds on the stack; wider ones are read in place.</summary>
    internal const int MaxPackedInputChannels = 1024;

    /// <summary>
    /// 1x1 convolution as a GEMM [pixels][inC] × [inC][outC], vectorised over output channels, 4 pixels at a
    /// time (<see cref="FourPixels"/>). When more than 2 vectors of output channels re-read the 4 input rows
    /// (expand layers), the rows are first interleaved onto the stack ([inC][4]) so the inner step reads its 4
    /// broadcasts from one stream at constant offsets; when one block reads them once (project layers, outC ≤ 2
    /// vectors), that copy would cost more than it saves (measured: 0.81× the project layers' time in place), so
    /// they are read in place. Leftover pixels go one at a time.
    /// </summary>
    public static void Pointwise<TArithmetic>(ReadOnlySpan<float> input, int pixels, int inC, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        int outC, Activation activation, ReadOnlySpan<float> residual, Span<float> output)
        where TArithmetic : struct, IArithmetic
    {
        TArithmetic arithmetic = default;
        int v = Width;
        if (outC < v)
        {
            ScalarKernels.Pointwise(input, pixels, inC, weights, bias, outC, activation, residual, output);
            return;
        }
        var epilogue = new Epilogue<TArithmetic>(bias, activation, residual, output);
        ref float inRef = ref MemoryMarshal.GetReference(input);
        ref float wRef = ref MemoryMarshal.GetReference(weights);

        int p = 0;
        if (pixels >= 4 && outC > 2 * v && inC <= MaxPackedInputChannels)
        {
            Span<float> packed = stackalloc float[4 * inC];
            ref float xRef = ref MemoryMarshal.GetReference(packed);
            for (; p + 4 <= pixels; p += 4)
            {
                ref float row = ref Unsafe.Add(ref inRef, p * inC);
                for (int k = 0; k < inC; k++)
                {
                    Unsafe.Add(ref xRef, 4 * k) = Unsafe.Add(ref row, k);
                    Unsafe.Add(ref xRef, 4 * k + 1) = Unsafe.Add(ref row, inC + k);
                    Unsafe.Add(ref xRef, 4 * k + 2) = Unsafe.Add(ref row, 2 * inC + k);
                    Unsafe.Add(ref xRef, 4 * k + 3) = Unsafe.Add(ref row, 3 * inC + k);
                }
                FourPixels<InterleavedRows, TArithmetic>(ref xRef, inC, ref wRef, outC, p, epilogue);
            }
        }
        for (; p + 4 <= pixels; p += 4)
            FourPixels<InPlaceRows, TArithmetic>(ref Unsafe.Add(ref inRef, p * inC), inC, ref wRef, outC, p, epilogue);

        for (; p < pixels; p++)
        {
            int r = p * inC;
            int o = 0;
            for (; o + 2 * v <= outC; o += 2 * v)
            {
                Vector<float> a0 = epilogue.Bias(o), a1 = epilogue.Bias(o + v);
                for (int k = 0; k < inC; k++)
                {
                    var x = new Vector<float>(At(ref inRef, r + k));
                    a0 = arithmetic.MultiplyAdd(x, Load(ref wRef, k * outC + o), a0);
                    a1 = arithmetic.MultiplyAdd(x, Load(ref wRef, k * outC + o + v), a1);
                }
                epilogue.Write(a0, p * outC + o);
                epilogue.Write(a1, p * outC + o + v);
            }
            for (; o < outC; o += v)
            {
                if (o + v > outC) o = outC - v; // overlapping last block, as above
                Vector<float> a = epilogue.Bias(o);
                for (int k = 0; k < inC; k++)
                    a = arithmetic.MultiplyAdd(new Vector<float>(At(ref inRef, r + k)), Load(ref wRef, k * outC + o), a);
                epilogue.Write(a, p * outC + o);
            }
        }
    }

    /// <summary>Where the 4 pixels' inputs of step k are: <see cref="FourPixels"/> reads pixel i's at x + Offset(i), then moves x by Step.</summary>
    private interface IFourRows
    {
        int Offset(int pixel, int inC);
        int Step { get; }
    }

    /// <summary>The input rows in place: pixel i's row is i·inC floats on.</summary>
    private struct InPlaceRows : IFourRows
    {
        public int Offset(int pixel, int inC) => pixel * inC;
        public int Step => 1;
    }

    /// <summary>The rows interleaved on the stack ([inC][4]): one stream, constant offsets.</summary>
    private struct InterleavedRows : IFourRows
    {
        public int Offset(int pixel, int inC) => pixel;
        public int Step => 4;
    }

    /// <summary>
    /// Output pixels p..p+3, all columns: blocks of 3 vectors of columns (<see cref="ThreeVectorColumns"/>), then per
    /// block of 2 vectors 8 accumulators, 2 weight loads and 4 broadcasts per step k; a last single vector gets 4
    /// accumulators. Generic over the row layout so each layout compiles with its own constant offsets.
    /// </summary>
    private static void FourPixels<TRows, TArithmetic>(ref float rows0, int inC, ref float wRef, int outC, int p, in Epilogue<TArithmetic> epilogue)
        where TRows : struct, IFourRows
        where TArithmetic : struct, IArithmetic
    {
        TArithmetic arithmetic = default;
        int v = Width;
        TRows rows = default;
        int s1 = rows.Offset(1, inC), s2 = rows.Offset(2, inC), s3 = rows.Offset(3, inC), step = rows.Step;
        int o = 0;
        // Blocks of 3 vectors of columns first, then 2 and 1. ThreeVectorColumns is a method of its own, never
        // inlined, so the loops below compile as they did without it (an inline 3-vector loop measured
        // slower; docs/benchmarks.md).
        int o3 = outC - outC % (3 * v);
        if (o3 > 0)
        {
            ThreeVectorColumns<TRows, TArithmetic>(ref rows0, inC, ref wRef, outC, o3, p, epilogue);
            o = o3;
        }
        for (; o + 2 * v <= outC; o += 2 * v)
        {
            Vector<float> b0 = epilogue.Bias(o), b1 = epilogue.Bias(o + v);
            Vector<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
            ref float x = ref rows0;
            ref float w = ref Unsafe.Add(ref wRef, o);
            for (int k = 0; k < inC; k++)
            {
                Vector<float> w0 = Load(ref w, 0), w1 = Load(ref w, v);
                var x0 = new Vector<float>(x);
                var x1 = new Vector<float>(Unsafe.Add(ref x, s1));
                var x2 = new Vector<float>(Unsafe.Add(ref x, s2));
                var x3 = new Vector<float>(Unsafe.Add(ref x, s3));
                a00 = arithmetic.MultiplyAdd(x0, w0, a00); a01 = arithmetic.MultiplyAdd(x0, w1, a01);
                a10 = arithmetic.MultiplyAdd(x1, w0, a10); a11 = arithmetic.MultiplyAdd(x1, w1, a11);
                a20 = arithmetic.MultiplyAdd(x2, w0, a20); a21 = arithmetic.MultiplyAdd(x2, w1, a21);
                a30 = arithmetic.MultiplyAdd(x3, w0, a30); a31 = arithmetic.MultiplyAdd(x3, w1, a31);
                x = ref Unsafe.Add(ref x, step);
                w = ref Unsafe.Add(ref w, outC);
            }
            int q = p * outC + o;
            epilogue.Write(a00, q); epilogue.Write(a01, q + v); q += outC;
            epilogue.Write(a10, q); epilogue.Write(a11, q + v); q += outC;
            epilogue.Write(a20, q); epilogue.Write(a21, q + v); q += outC;
            epilogue.Write(a30, q); epilogue.Write(a31, q + v);
        }
        for (; o < outC; o += v)
        {
            // One vector of columns left, possibly overlapping the previous block when outC % v != 0:
            // the overlapped columns are recomputed to the same values (Kernels guarantees that
            // neither input nor residual shares memory with output).
            if (o + v > outC) o = outC - v;
            Vector<float> b = epilogue.Bias(o);
            Vector<float> a0 = b, a1 = b, a2 = b, a3 = b;
            ref float x = ref rows0;
            ref float w = ref Unsafe.Add(ref wRef, o);
            for (int k = 0; k < inC; k++)
            {
                Vector<float> w0 = Load(ref w, 0);
                a0 = arithmetic.MultiplyAdd(new Vector<float>(x), w0, a0);
                a1 = arithmetic.MultiplyAdd(new Vector<float>(Unsafe.Add(ref x, s1)), w0, a1);
                a2 = arithmetic.MultiplyAdd(new Vector<float>(Unsafe.Add(ref x, s2)), w0, a2);
                a3 = arithmetic.MultiplyAdd(new Vector<float>(Unsafe.Add(ref x, s3)), w0, a3);
                x = ref Unsafe.Add(ref x, step);
                w = ref Unsafe.Add(ref w, outC);
            }
            int q = p * outC + o;
            epilogue.Write(a0, q);
            epilogue.Write(a1, q + outC);
            epilogue.Write(a2, q + 2 * outC);
            epilogue.Write(a3, q + 3 * outC);
        }
    }

    /// <summary>
    /// Output pixels p..p+3, columns 0..<paramref name="end"/> (a multiple of 3 vectors): 12 accumulators, 3 weight
    /// loads and 4 broadcasts per 12 FMAs (the 2-vector blocks of <see cref="FourPixels"/>: 6 per 8); each broadcast
    /// is used at once, so 16 vector registers suffice.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThreeVectorColumns<TRows, TArithmetic>(ref float rows0, int inC, ref float wRef, int outC, int end, int p, in Epilogue<TArithmetic> epilogue)
        where TRows : struct, IFourRows
        where TArithmetic : struct, IArithmetic
    {
        TArithmetic arithmetic = default;
        int v = Width;
        TRows rows = default;
        int s1 = rows.Offset(1, inC), s2 = rows.Offset(2, inC), s3 = rows.Offset(3, inC), step = rows.Step;
        for (int o = 0; o < end; o += 3 * v)
        {
            Vector<float> b0 = epilogue.Bias(o), b1 = epilogue.Bias(o + v), b2 = epilogue.Bias(o + 2 * v);
            Vector<float> a00 = b0, a01 = b1, a02 = b2, a10 = b0, a11 = b1, a12 = b2;
            Vector<float> a20 = b0, a21 = b1, a22 = b2, a30 = b0, a31 = b1, a32 = b2;
            ref float x = ref rows0;
            ref float w = ref Unsafe.Add(ref wRef, o);
            for (int k = 0; k < inC; k++)
            {
                Vector<float> w0 = Load(ref w, 0), w1 = Load(ref w, v), w2 = Load(ref w, 2 * v);
                var xi = new Vector<float>(x);
                a00 = arithmetic.MultiplyAdd(xi, w0, a00); a01 = arithmetic.MultiplyAdd(xi, w1, a01); a02 = arithmetic.MultiplyAdd(xi, w2, a02);
                xi = new Vector<float>(Unsafe.Add(ref x, s1));
                a10 = arithmetic.MultiplyAdd(xi, w0, a10); a11 = arithmetic.MultiplyAdd(xi, w1, a11); a12 = arithmetic.MultiplyAdd(xi, w2, a12);
                xi = new Vector<float>(Unsafe.Add(ref x, s2));
                a20 = arithmetic.MultiplyAdd(xi, w0, a20); a21 = arithmetic.MultiplyAdd(xi, w1, a21); a22 = arithmetic.MultiplyAdd(xi, w2, a22);
                xi = new Vector<float>(Unsafe.Add(ref x, s3));
                a30 = arithmetic.MultiplyAdd(xi, w0, a30); a31 = arithmetic.MultiplyAdd(xi, w1, a31); a32 = arithmetic.MultiplyAdd(xi, w2, a32);
                x = ref Unsafe.Add(ref x, step);
                w = ref Unsafe.Add(ref w, outC);
            }
            int q = p * outC + o;
            epilogue.Write(a00, q); epilogue.Write(a01, q + v); epilogue.Write(a02, q + 2 * v); q += outC;
            epilogue.Write(a10, q); epilogue.Write(a11, q + v); epilogue.Write(a12, q + 2 * v); q += outC;
            epilogue.Write(a20, q); epilogue.Write(a21, q + v); epilogue.Write(a22, q + 2 * v); q += outC;
            epilogue.Write(a30, q); epilogue.Write(a31, q + v); epilogue.Write(a32, q + 2 * v);
        }
    }

    /// <summary>bias → activation → optional residual add → store, for the pointwise kernel.</summary>
    private readonly ref struct Epilogue<TArithmetic>
        where TArithmetic : struct, IArithmetic
    {
        private readonly ReadOnlySpan<float> _bias;
        private readonly ReadOnlySpan<float> _residual;
        private readonly Span<float> _output;
        private readonly Activation _activation;
        private readonly bool _hasResidual;

        public Epilogue(ReadOnlySpan<float> bias, Activation activation, ReadOnlySpan<float> residual, Span<float> output)
        {
            _bias = bias;
            _activation = activation;
            _residual = residual;
            _output = output;
            _hasResidual = !residual.IsEmpty;
        }

        public Vector<float> Bias(int o) => Load(ref MemoryMarshal.GetReference(_bias), o);

        public void Write(Vector<float> acc, int index)
        {
            Vector<float> value = default(TArithmetic).Activate(acc, _activation);
            if (_hasResidual) value += Load(ref MemoryMarshal.GetReference(_residual), index);
            Store(value, ref MemoryMarshal.GetReference(_output), index);
        }
    }

    // ---------------------------------------------------------------- pooling, SE, linear

    public static void GlobalAveragePool(ReadOnlySpan<float> input, int pixels, int channels, Span<float> output)
    {
        int v = Width;
        if (channels < v)
        {
            ScalarKernels.GlobalAveragePool(input, pixels, channels, output);
            return;
        }
        ref float inRef = ref MemoryMarshal.GetReference(input);
        ref float outRef = ref MemoryMarshal.GetReference(output);
        var scale = new Vector<float>(1f / pixels);
        for (int c = 0; c < channels; c += v)
        {
            if (c + v > channels) c = channels - v;
            Vector<float> sum = Vector<float>.Zero;
            for (int p = 0; p < pixels; p++)
                sum += Load(ref inRef, p * channels + c);
            Store(sum * scale, ref outRef, c);
        }
    }

    public static void SqueezeExcite(Span<float> data, int pixels, int channels, ReadOnlySpan<float> reduceWeights, ReadOnlySpan<float> reduceBias,
        int reduced, ReadOnlySpan<float> expandWeights, ReadOnlySpan<float> expandBias, Span<float> scratch)
    {
        Span<float> scale = scratch.Slice(0, channels);
        Span<float> hidden = scratch.Slice(channels, reduced);
        GlobalAveragePool(data, pixels, channels, scale);
        Linear(scale, channels, reduceWeights, reduceBias, reduced, Activation.Relu, hidden);
        Linear(hidden, reduced, expandWeights, expandBias, channels, Activation.HSigmoid, scale);

        int v = Width;
        if (channels < v)
        {
            for (int p = 0; p < pixels; p++)
            for (int c = 0; c < channels; c++)
                data[p * channels + c] *= scale[c];
            return;
        }
        ref float dRef = ref MemoryMarshal.GetReference(data);
        ref float sRef = ref MemoryMarshal.GetReference(scale);
        int full = channels - channels % v;
        for (int p = 0; p < pixels; p++)
        {
            int row = p * channels;
            for (int c = 0; c < full; c += v)
                Store(Load(ref dRef, row + c) * Load(ref sRef, c), ref dRef, row + c);
            for (int c = full; c < channels; c++)
                data[row + c] *= scale[c]; // in place: no overlapping-block trick here
        }
    }

    /// <summary>Dot products of 4 weight rows at a time with the input (one input load feeds 4 FMAs).</summary>
    public static void Linear(ReadOnlySpan<float> input, int inF, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int outF,
        Activation activation, Span<float> output)
    {
        int v = Width;
        if (inF < v)
        {
            ScalarKernels.Linear(input, inF, weights, bias, outF, activation, output);
            return;
        }
        ref float inRef = ref MemoryMarshal.GetReference(input);
        ref float wRef = ref MemoryMarshal.GetReference(weights);
        int full = inF - inF % v;
        int o = 0;
        for (; o + 4 <= outF; o += 4)
        {
            int w0 = o * inF, w1 = w0 + inF, w2 = w1 + inF, w3 = w2 + inF;
            Vector<float> a0 = Vector<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < full; i += v)
            {
                Vector<float> x = Load(ref inRef, i);
                a0 = MultiplyAdd(Load(ref wRef, w0 + i), x, a0);
                a1 = MultiplyAdd(Load(ref wRef, w1 + i), x, a1);
                a2 = MultiplyAdd(Load(ref wRef, w2 + i), x, a2);
                a3 = MultiplyAdd(Load(ref wRef, w3 + i), x, a3);
            }
            float s0 = Vector.Dot(a0, Vector<float>.One), s1 = Vector.Dot(a1, Vector<float>.One);
            float s2 = Vector.Dot(a2, Vector<float>.One), s3 = Vector.Dot(a3, Vector<float>.One);
            for (int i = full; i < inF; i++)
            {
                float x = input[i];
                s0 += weights[w0 + i] * x; s1 += weights[w1 + i] * x;
                s2 += weights[w2 + i] * x; s3 += weights[w3 + i] * x;
            }
            output[o] = Activations.Apply(s0 + bias[o], activation);
            output[o + 1] = Activations.Apply(s1 + bias[o + 1], activation);
            output[o + 2] = Activations.Apply(s2 + bias[o + 2], activation);
            output[o + 3] = Activations.Apply(s3 + bias[o + 3], activation);
        }
        for (; o < outF; o++)
        {
            int w = o * inF;
            Vector<float> a = Vector<float>.Zero;
            for (int i = 0; i < full; i += v)
                a = MultiplyAdd(Load(ref wRef, w + i), Load(ref inRef, i), a);
            float s = Vector.Dot(a, Vector<float>.One);
            for (int i = full; i < inF; i++)
                s += weights[w + i] * input[i];
            output[o] = Activations.Apply(s + bias[o], activation);
        }
    }

    public static void Activate<TArithmetic>(Span<float> data, Activation activation)
        where TArithmetic : struct, IArithmetic
    {
        TArithmetic arithmetic = default;
        int v = Width;
        ref float dRef = ref MemoryMarshal.GetReference(data);
        int full = data.Length - data.Length % v;
        for (int i = 0; i < full; i += v)
            Store(arithmetic.Activate(Load(ref dRef, i), activation), ref dRef, i);
        for (int i = full; i < data.Length; i++)
            data[i] = Activations.Apply(data[i], activation);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static float At(ref float start, int index) => System.Runtime.CompilerServices.Unsafe.Add(ref start, index);
}
