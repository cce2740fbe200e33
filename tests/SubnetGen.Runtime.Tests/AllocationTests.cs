using System;
using SubnetGen.Runtime;

namespace SubnetGen.Runtime.Tests;

/// <summary>Generated models call these in Predict, which must allocate nothing after construction.</summary>
public class AllocationTests
{
    private static void AssertNoAllocation(string name, Action call)
    {
        call(); // warm-up: JIT, static initialisation
        call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        call();
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(after == before, $"{name} allocated {after - before} bytes");
    }

    [Theory]
    [InlineData(16, 24)] // vector path, whole vectors
    [InlineData(17, 5)]  // vector path with tails / scalar fallbacks
    public void Kernels_do_not_allocate(int c, int c2)
    {
        const int h = 14, w = 14, pixels = h * w, r = 8;
        float[] pixelsIn = Data.Random(1, pixels), norm = new float[pixels];
        float[] mean = { 0.3f }, std = { 0.35f };
        float[] stemW = Data.Random(2, c * 9), stemB = Data.Random(3, c), stem = new float[(h / 2) * (w / 2) * c];
        float[] dwW = Data.Random(4, 25 * c), dwB = Data.Random(5, c), dw = new float[stem.Length];
        float[] pwW = Data.Random(6, c * c2), pwB = Data.Random(7, c2), pw = new float[(h / 2) * (w / 2) * c2], res = Data.Random(8, pw.Length);
        float[] rw = Data.Random(9, r * c), rb = Data.Random(10, r), ew = Data.Random(11, c * r), eb = Data.Random(12, c), scratch = new float[c + r];
        float[] pooled = new float[c2], linW = Data.Random(13, 10 * c2), linB = Data.Random(14, 10), logits = new float[10], probs = new float[10];
        int p2 = (h / 2) * (w / 2);

        AssertNoAllocation("Normalize", () => Kernels.Normalize(pixelsIn, 1, mean, std, norm));
        AssertNoAllocation("Conv2d", () => Kernels.Conv2d(norm, h, w, 1, stemW, stemB, c, 3, 2, Activation.HSwish, stem));
        AssertNoAllocation("Depthwise", () => Kernels.Depthwise(stem, h / 2, w / 2, c, dwW, dwB, 5, 1, Activation.Relu, dw));
        AssertNoAllocation("SqueezeExcite", () => Kernels.SqueezeExcite(dw, p2, c, rw, rb, r, ew, eb, scratch));
        AssertNoAllocation("Pointwise", () => Kernels.Pointwise(dw, p2, c, pwW, pwB, c2, Activation.None, ReadOnlySpan<float>.Empty, pw));
        AssertNoAllocation("Pointwise+residual", () => Kernels.Pointwise(dw, p2, c, pwW, pwB, c2, Activation.None, res, pw));
        AssertNoAllocation("Activations.Apply", () => Activations.Apply(pw, Activation.HSwish));
        AssertNoAllocation("GlobalAveragePool", () => Kernels.GlobalAveragePool(pw, p2, c2, pooled));
        AssertNoAllocation("Linear", () => Kernels.Linear(pooled, c2, linW, linB, 10, Activation.None, logits));
        AssertNoAllocation("Softmax", () => Kernels.Softmax(logits, probs));
    }

    [Fact]
    public void ImageInput_does_not_allocate()
    {
        byte[] photo = new byte[(97 * 4 + 3) * 61], small = new byte[17 * 13];
        new Random(1).NextBytes(photo);
        new Random(2).NextBytes(small);
        float[] grey = new float[28 * 28], rgb = new float[28 * 28 * 3];
        float[] mean1 = { 0.3f }, std1 = { 0.35f }, mean3 = { 0.5f, 0.4f, 0.3f }, std3 = { 0.2f, 0.25f, 0.3f };

        AssertNoAllocation("ImageInput.Normalize Bgra32 → grey (shrink, policy)", () => ImageInput.Normalize(photo, 97, 61, 97 * 4 + 3, PixelFormat.Bgra32, 28, 28, 1, mean1, std1, grey));
        AssertNoAllocation("ImageInput.Normalize Rgba32 → RGB (crop, mirror)", () => ImageInput.Normalize(photo, 97, 61, 97 * 4 + 3, PixelFormat.Rgba32, 3, 5, 50, 40, true, 28, 28, 3, mean3, std3, rgb));
        AssertNoAllocation("ImageInput.Normalize Gray8 → RGB (enlarge)", () => ImageInput.Normalize(small, 17, 13, 17, PixelFormat.Gray8, 28, 28, 3, mean3, std3, rgb));
        AssertNoAllocation("ImageInput.CenterCrop", () => ImageInput.CenterCrop(97, 61, 28, 28, out _, out _, out _, out _));
    }

    [Fact]
    public void Scalar_paths_do_not_allocate()
    {
        float[] input = Data.Random(1, 5 * 5 * 3), w = Data.Random(2, 4 * 9 * 3), b = Data.Random(3, 4), o = new float[5 * 5 * 4];
        AssertNoAllocation("ScalarKernels.Conv2d", () => ScalarKernels.Conv2d(input, 5, 5, 3, w, b, 4, 3, 1, Activation.Relu, o));
        float[] dw = Data.Random(4, 9 * 3), db = Data.Random(5, 3), dout = new float[75];
        AssertNoAllocation("ScalarKernels.Depthwise", () => ScalarKernels.Depthwise(input, 5, 5, 3, dw, db, 3, 1, Activation.HSwish, dout));
        float[] pw = Data.Random(6, 3 * 4), pres = Data.Random(11, 25 * 4), pout = new float[25 * 4];
        AssertNoAllocation("ScalarKernels.Pointwise", () => ScalarKernels.Pointwise(input, 25, 3, pw, b, 4, Activation.None, pres, pout));
        float[] data = Data.Random(7, 75), rw = Data.Random(8, 2 * 3), rb = Data.Random(9, 2), ew = Data.Random(10, 3 * 2), scratch = new float[5];
        AssertNoAllocation("ScalarKernels.SqueezeExcite", () => ScalarKernels.SqueezeExcite(data, 25, 3, rw, rb, 2, ew, db, scratch));
    }
}
