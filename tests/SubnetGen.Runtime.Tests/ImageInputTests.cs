using System;
using System.Linq;
using SubnetGen.Runtime;

namespace SubnetGen.Runtime.Tests;

/// <summary>
/// <see cref="ImageInput"/> against <see cref="ImageReference"/>, an independent double-precision definition of the
/// documented preprocessing (decode the crop, mirror it, resize horizontally then vertically with a full weight
/// matrix, normalise), plus hand-computed values, the format and channel rules, and the policy's crop.
/// </summary>
public class ImageInputTests
{
    private static readonly float[] GreyMean = { 0.286f }, GreyStd = { 0.353f };
    private static readonly float[] RgbMean = { 0.485f, 0.456f, 0.406f }, RgbStd = { 0.229f, 0.224f, 0.225f };

    private static readonly PixelFormat[] Colour = { PixelFormat.Rgb24, PixelFormat.Bgr24, PixelFormat.Rgba32, PixelFormat.Bgra32 };
    private static readonly PixelFormat[] All = { PixelFormat.Gray8, PixelFormat.Rgb24, PixelFormat.Bgr24, PixelFormat.Rgba32, PixelFormat.Bgra32 };

    private static (float[] Mean, float[] Std) Norm(int channels) => channels == 1 ? (GreyMean, GreyStd) : (RgbMean, RgbStd);

    private static float[] Run(TestImage image, int outH, int outW, int outC)
    {
        var (mean, std) = Norm(outC);
        var output = new float[outH * outW * outC];
        ImageInput.Normalize(image.Bytes, image.Width, image.Height, image.Stride, image.Format, outH, outW, outC, mean, std, output);
        return output;
    }

    private static float[] Run(TestImage image, int x, int y, int w, int h, bool mirror, int outH, int outW, int outC)
    {
        var (mean, std) = Norm(outC);
        var output = new float[outH * outW * outC];
        ImageInput.Normalize(image.Bytes, image.Width, image.Height, image.Stride, image.Format, x, y, w, h, mirror, outH, outW, outC, mean, std, output);
        return output;
    }

    /// <summary>|actual − expected| ≤ 1e-6 everywhere (absolute: outputs are normalised values of a few units).</summary>
    private static void AssertWithin(double[] expected, float[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= 1e-6))
                Assert.Fail($"{context}: index {i} is {actual[i]:R}, expected {expected[i]:R} (diff {Math.Abs(actual[i] - expected[i]):E2})");
    }

    private static void Near(double expected, float actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-7, $"expected {expected:R}, got {actual:R}");

    /// <summary>Source sizes smaller, equal and larger than the output, square and not, into square and non-square outputs.</summary>
    public static TheoryData<int, int, int, int> Sizes() => new()
    {
        // srcW, srcH, outH, outW
        { 28, 28, 28, 28 },
        { 17, 13, 28, 28 },
        { 100, 61, 28, 28 },
        { 61, 100, 28, 28 },
        { 7, 50, 28, 28 },
        { 1, 1, 28, 28 },
        { 300, 200, 12, 20 },
        { 45, 45, 20, 12 },
        { 9, 14, 14, 9 },
        { 1600, 1200, 2, 3 }, // windows over 1,000 columns wide: summed in several blocks of taps
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Policy_matches_the_reference_in_every_format_and_channel_count(int srcW, int srcH, int outH, int outW)
    {
        var rgb = TestImage.RandomRgb(seed: srcW * 1000 + srcH, srcW, srcH);
        ImageInput.CenterCrop(srcW, srcH, outH, outW, out int cx, out int cy, out int cw, out int ch);
        foreach (int outC in new[] { 1, 3 })
        {
            var (mean, std) = Norm(outC);
            var expected = ImageReference.Run(rgb, srcW, PixelFormat.Rgb24, cx, cy, cw, ch, mirror: false, outH, outW, outC, mean, std);
            foreach (var format in Colour)
            {
                var image = TestImage.Encode(rgb, srcW, srcH, format, padding: 3);
                AssertWithin(expected, Run(image, outH, outW, outC), $"{srcW}×{srcH} {format} → {outH}×{outW}×{outC}");
            }
            var grey = TestImage.Grey(rgb);
            var greyExpected = ImageReference.Run(grey, srcW, PixelFormat.Gray8, cx, cy, cw, ch, mirror: false, outH, outW, outC, mean, std);
            AssertWithin(greyExpected, Run(TestImage.Encode(grey, srcW, srcH, PixelFormat.Gray8, padding: 5), outH, outW, outC),
                $"{srcW}×{srcH} Gray8 → {outH}×{outW}×{outC}");
        }
    }

    [Theory]
    [InlineData(40, 30, 5, 3, 30, 20, false, 28, 28)]
    [InlineData(40, 30, 5, 3, 30, 20, true, 28, 28)]
    [InlineData(40, 30, 0, 0, 40, 30, true, 28, 28)]
    [InlineData(64, 48, 10, 1, 13, 47, true, 12, 20)]
    [InlineData(20, 20, 19, 0, 1, 20, true, 7, 7)]
    [InlineData(4000, 3, 7, 0, 3990, 3, true, 1, 5)]
    [InlineData(30, 20, 2, 3, 17, 11, true, 11, 17)]  // crop at the output size, mirrored
    [InlineData(30, 20, 2, 3, 17, 11, false, 11, 17)]
    public void Crop_and_mirror_match_the_reference(int srcW, int srcH, int x, int y, int w, int h, bool mirror, int outH, int outW)
    {
        var rgb = TestImage.RandomRgb(seed: x + 31 * y + 7 * w, srcW, srcH);
        foreach (int outC in new[] { 1, 3 })
        {
            var (mean, std) = Norm(outC);
            var expected = ImageReference.Run(rgb, srcW, PixelFormat.Rgb24, x, y, w, h, mirror, outH, outW, outC, mean, std);
            foreach (var format in Colour)
                AssertWithin(expected, Run(TestImage.Encode(rgb, srcW, srcH, format, padding: 1), x, y, w, h, mirror, outH, outW, outC),
                    $"{format} crop ({x},{y},{w}×{h}) mirror {mirror} → {outH}×{outW}×{outC}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_same_image_gives_identical_output_in_every_format(int outC)
    {
        // A colour image: identical through the four colour formats (any stride).
        var rgb = TestImage.RandomRgb(seed: 5, 37, 23);
        var colour = Colour.Select((f, i) => Run(TestImage.Encode(rgb, 37, 23, f, padding: i), 28, 28, outC)).ToArray();
        foreach (var other in colour.Skip(1)) Assert.Equal(colour[0], other);

        // A grey image: identical through all five, Gray8 included (luma of equal R, G, B is the grey value exactly).
        var grey = TestImage.Grey(TestImage.RandomRgb(seed: 6, 19, 41));
        var greys = All.Select((f, i) => Run(TestImage.Encode(grey, 19, 41, f, padding: 2 * i), 28, 28, outC)).ToArray();
        foreach (var other in greys.Skip(1)) Assert.Equal(greys[0], other);
    }

    [Fact]
    public void Identity_equals_the_float_path_exactly()
    {
        // Same size, no crop: each output value is the pixel itself, normalised with Kernels.Normalize's float formula.
        var rgb = TestImage.RandomRgb(seed: 9, 28, 28);
        var grey = TestImage.Grey(rgb);
        var greyBytes = Enumerable.Range(0, 28 * 28).Select(i => grey[i * 3]).ToArray();
        var floats = new float[784];
        Kernels.Normalize(greyBytes.Select(b => b / 255f).ToArray(), 1, GreyMean, GreyStd, floats);
        Assert.Equal(floats, Run(TestImage.Encode(grey, 28, 28, PixelFormat.Gray8, padding: 0), 28, 28, 1));
        Assert.Equal(floats, Run(TestImage.Encode(grey, 28, 28, PixelFormat.Bgra32, padding: 3), 28, 28, 1));

        var rgbFloats = new float[28 * 28 * 3];
        Kernels.Normalize(rgb.Select(b => b / 255f).ToArray(), 3, RgbMean, RgbStd, rgbFloats);
        Assert.Equal(rgbFloats, Run(TestImage.Encode(rgb, 28, 28, PixelFormat.Rgb24, padding: 0), 28, 28, 3));
        Assert.Equal(rgbFloats, Run(TestImage.Encode(rgb, 28, 28, PixelFormat.Bgr24, padding: 7), 28, 28, 3));
    }

    [Fact]
    public void At_the_output_size_the_shortcut_gives_the_resize_bytes()
    {
        // Normalize copies when the crop already has the output's size; the general resize must give the same bytes.
        foreach (var format in All)
        foreach (int outC in new[] { 1, 3 })
        foreach (bool mirror in new[] { false, true })
        {
            var image = TestImage.Encode(TestImage.RandomRgb(21, 30, 20), 30, 20, format, padding: 3);
            var (mean, std) = Norm(outC);
            var resized = new float[11 * 17 * outC];
            int bpp = ImageInput.BytesPerPixel(format);
            ImageInput.Resample(image.Bytes.AsSpan(3 * image.Stride + 2 * bpp), image.Stride, format, 17, 11, mirror, 11, 17, outC, mean, std, resized);
            Assert.Equal(resized, Run(image, 2, 3, 17, 11, mirror, 11, 17, outC));
        }
    }

    [Fact]
    public void Hand_computed_triangle_weights()
    {
        float[] zero = { 0f }, one = { 1f };
        var output = new float[4];
        // Upscale 2 → 4 columns: centres 0.25, 0.75, 1.25, 1.75; weights (¾, 0) → a, (¾, ¼), (¼, ¾), (0, ¾) → b.
        ImageInput.Normalize(new byte[] { 0, 255 }, 2, 1, 2, PixelFormat.Gray8, 0, 0, 2, 1, false, 1, 4, 1, zero, one, output);
        Assert.Equal(new[] { 0f, 0.25f, 0.75f, 1f }, output);

        // Downscale 4 → 1 column (scale 4, support ±4): centre 2, pixel centres 1.5 and 0.5 away: weights ⅝, ⅞, ⅞, ⅝ (sum 3).
        var single = new float[1];
        ImageInput.Normalize(new byte[] { 0, 100, 200, 255 }, 4, 1, 4, PixelFormat.Gray8, 0, 0, 4, 1, false, 1, 1, 1, zero, one, single);
        Near((0.625 * 0 + 0.875 * 100 + 0.875 * 200 + 0.625 * 255) / 3 / 255, single[0]);

        // Downscale 4 → 2 (scale 2, support ±2): output 0 has centre 1, weights ¾, ¾, ¼, 0.
        var two = new float[2];
        ImageInput.Normalize(new byte[] { 0, 100, 200, 255 }, 4, 1, 4, PixelFormat.Gray8, 0, 0, 4, 1, false, 1, 2, 1, zero, one, two);
        Near((0.75 * 0 + 0.75 * 100 + 0.25 * 200) / 1.75 / 255, two[0]);
        Near((0.25 * 100 + 0.75 * 200 + 0.75 * 255) / 1.75 / 255, two[1]);

        // Mirrored, the two outputs swap.
        var mirrored = new float[2];
        ImageInput.Normalize(new byte[] { 0, 100, 200, 255 }, 4, 1, 4, PixelFormat.Gray8, 0, 0, 4, 1, true, 1, 2, 1, zero, one, mirrored);
        Assert.Equal(new[] { two[1], two[0] }, mirrored);
    }

    [Fact]
    public void Colour_to_grey_is_BT601_luma_and_grey_to_colour_replicates()
    {
        float[] zero = { 0f }, one = { 1f };
        var pixel = new byte[] { 200, 100, 50, 7 }; // R, G, B, A
        var y = new float[1];
        ImageInput.Normalize(pixel, 1, 1, 4, PixelFormat.Rgba32, 1, 1, 1, zero, one, y);
        Near((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255, y[0]);
        ImageInput.Normalize(new byte[] { 50, 100, 200, 99 }, 1, 1, 4, PixelFormat.Bgra32, 1, 1, 1, zero, one, y);
        Near((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255, y[0]);

        // Alpha is ignored.
        var opaque = Run(TestImage.Encode(TestImage.RandomRgb(3, 10, 10), 10, 10, PixelFormat.Rgba32, padding: 0, alpha: 255), 28, 28, 3);
        var clear = Run(TestImage.Encode(TestImage.RandomRgb(3, 10, 10), 10, 10, PixelFormat.Rgba32, padding: 0, alpha: 0), 28, 28, 3);
        Assert.Equal(opaque, clear);

        // Grey into a 3-channel model: the three channels are the same value (with equal mean/std per channel).
        var grey = TestImage.Encode(TestImage.Grey(TestImage.RandomRgb(4, 13, 9)), 13, 9, PixelFormat.Gray8, padding: 0);
        var output = new float[28 * 28 * 3];
        float[] mean3 = { 0.5f, 0.5f, 0.5f }, std3 = { 0.25f, 0.25f, 0.25f };
        ImageInput.Normalize(grey.Bytes, 13, 9, 13, PixelFormat.Gray8, 28, 28, 3, mean3, std3, output);
        for (int i = 0; i < 28 * 28; i++)
        {
            Assert.Equal(output[3 * i], output[3 * i + 1]);
            Assert.Equal(output[3 * i], output[3 * i + 2]);
        }
    }

    [Fact]
    public void Pixels_outside_the_crop_and_row_padding_are_never_read()
    {
        var rgb = TestImage.RandomRgb(seed: 11, 30, 20);
        var image = TestImage.Encode(rgb, 30, 20, PixelFormat.Rgb24, padding: 4);
        var before = Run(image, 4, 2, 17, 15, true, 28, 28, 3);
        var noisy = (byte[])image.Bytes.Clone();
        var random = new Random(12);
        for (int y = 0; y < 20; y++)
        for (int b = 0; b < image.Stride; b++)
        {
            int x = b / 3;
            bool inside = y >= 2 && y < 17 && x >= 4 && x < 21 && b < 90;
            if (!inside) noisy[y * image.Stride + b] = (byte)random.Next(256);
        }
        Assert.Equal(before, Run(image with { Bytes = noisy }, 4, 2, 17, 15, true, 28, 28, 3));
    }

    [Fact]
    public void The_last_row_needs_no_padding()
    {
        // rowStride·(height − 1) + width·bytesPerPixel bytes are enough, as decoders that trim the last row give.
        var image = TestImage.Encode(TestImage.RandomRgb(13, 9, 6), 9, 6, PixelFormat.Rgba32, padding: 5);
        var trimmed = image.Bytes.AsSpan(0, image.Stride * 5 + 9 * 4).ToArray();
        Assert.Equal(Run(image, 28, 28, 3), Run(image with { Bytes = trimmed }, 28, 28, 3));
    }

    [Theory]
    [InlineData(100, 75, 28, 28, 12, 0, 75, 75)]   // wider: full height, centred columns
    [InlineData(30, 50, 28, 28, 0, 10, 30, 30)]    // taller: full width, centred rows
    [InlineData(28, 28, 28, 28, 0, 0, 28, 28)]     // same shape: everything
    [InlineData(100, 100, 20, 10, 25, 0, 50, 100)] // non-square model input: the crop has its aspect ratio
    [InlineData(5, 5, 3, 2, 1, 0, 3, 5)]           // 5·2/3 = 3.33 → 3 columns
    [InlineData(4, 3, 2, 1, 1, 0, 2, 3)]           // 3·1/2 = 1.5 → 2 (halves up)
    [InlineData(1, 1000, 28, 28, 0, 499, 1, 1)]    // a one-pixel-wide strip
    [InlineData(1000, 1, 28, 56, 499, 0, 2, 1)]    // 1·56/28 = 2 columns
    public void CenterCrop_resizes_the_shorter_side_and_centres(int width, int height, int outH, int outW, int x, int y, int w, int h)
    {
        ImageInput.CenterCrop(width, height, outH, outW, out int cx, out int cy, out int cw, out int ch);
        Assert.Equal((x, y, w, h), (cx, cy, cw, ch));

        // The policy overload is the general one with this crop, not mirrored.
        var rgb = TestImage.RandomRgb(17, width, height);
        var image = TestImage.Encode(rgb, width, height, PixelFormat.Rgb24, padding: 0);
        Assert.Equal(Run(image, x, y, w, h, false, outH, outW, 3), Run(image, outH, outW, 3));
    }

    [Fact]
    public void BytesPerPixel_of_every_format()
    {
        Assert.Equal(new[] { 1, 3, 3, 4, 4 }, All.Select(ImageInput.BytesPerPixel));
        Assert.Equal(All, Enum.GetValues<PixelFormat>());
    }
}

/// <summary>An 8-bit image in one <see cref="PixelFormat"/>: <see cref="Bytes"/> with <see cref="Stride"/> bytes per row.</summary>
internal sealed record TestImage(byte[] Bytes, int Width, int Height, int Stride, PixelFormat Format)
{
    /// <summary>R, G, B bytes, row-major, no padding: smooth gradients plus noise (so the resize has structure and detail).</summary>
    public static byte[] RandomRgb(int seed, int width, int height)
    {
        var random = new Random(seed);
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        for (int c = 0; c < 3; c++)
        {
            double smooth = 127.5 + 100 * Math.Sin((x * (c + 1) + 2 * y) * 0.2 + c);
            rgb[(y * width + x) * 3 + c] = (byte)Math.Clamp(smooth + random.Next(-25, 26), 0, 255);
        }
        return rgb;
    }

    /// <summary>The same RGB layout with R = G = B (the green channel): a grey image that every format can hold.</summary>
    public static byte[] Grey(byte[] rgb)
    {
        var grey = new byte[rgb.Length];
        for (int i = 0; i < rgb.Length; i += 3) grey[i] = grey[i + 1] = grey[i + 2] = rgb[i + 1];
        return grey;
    }

    /// <summary>Writes RGB bytes in <paramref name="format"/> (Gray8 takes R, meant for grey images) with <paramref name="padding"/> junk bytes after each row.</summary>
    public static TestImage Encode(byte[] rgb, int width, int height, PixelFormat format, int padding, byte alpha = 200)
    {
        int bpp = format switch { PixelFormat.Gray8 => 1, PixelFormat.Rgb24 or PixelFormat.Bgr24 => 3, _ => 4 };
        int stride = width * bpp + padding;
        var bytes = new byte[stride * height];
        new Random(width + height).NextBytes(bytes); // the padding stays junk
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            int s = (y * width + x) * 3, d = y * stride + x * bpp;
            byte r = rgb[s], g = rgb[s + 1], b = rgb[s + 2];
            switch (format)
            {
                case PixelFormat.Gray8: bytes[d] = r; break;
                case PixelFormat.Rgb24: bytes[d] = r; bytes[d + 1] = g; bytes[d + 2] = b; break;
                case PixelFormat.Bgr24: bytes[d] = b; bytes[d + 1] = g; bytes[d + 2] = r; break;
                case PixelFormat.Rgba32: bytes[d] = r; bytes[d + 1] = g; bytes[d + 2] = b; bytes[d + 3] = alpha; break;
                case PixelFormat.Bgra32: bytes[d] = b; bytes[d + 1] = g; bytes[d + 2] = r; bytes[d + 3] = alpha; break;
            }
        }
        return new TestImage(bytes, width, height, stride, format);
    }
}

/// <summary>
/// The documented preprocessing, written from its definition in doubles and in another order than the kernel:
/// the crop decoded to [0, 1] planes (luma 0.299 R + 0.587 G + 0.114 B), mirrored as an image, resized
/// horizontally then vertically by dense weight matrices over every source pixel, then (v − mean) / std.
/// </summary>
internal static class ImageReference
{
    /// <summary><paramref name="rgb"/>: R, G, B bytes without padding (<see cref="PixelFormat.Gray8"/>: a grey image stored as RGB, read as one channel).</summary>
    public static double[] Run(byte[] rgb, int imageWidth, PixelFormat format, int cropX, int cropY, int cropW, int cropH, bool mirror,
        int outH, int outW, int outC, float[] mean, float[] std)
    {
        Assert.True(cropX + cropW <= imageWidth && (cropY + cropH) * imageWidth * 3 <= rgb.Length, "the crop leaves the image");
        // crop[c][y][x] in [0, 1]
        var crop = new double[outC][,];
        for (int c = 0; c < outC; c++) crop[c] = new double[cropH, cropW];
        for (int y = 0; y < cropH; y++)
        for (int x = 0; x < cropW; x++)
        {
            int s = ((cropY + y) * imageWidth + cropX + x) * 3;
            double r = rgb[s] / 255.0, g = rgb[s + 1] / 255.0, b = rgb[s + 2] / 255.0;
            int tx = mirror ? cropW - 1 - x : x;
            if (outC == 1) crop[0][y, tx] = format == PixelFormat.Gray8 ? r : 0.299 * r + 0.587 * g + 0.114 * b;
            else
            {
                if (format == PixelFormat.Gray8) g = b = r;
                crop[0][y, tx] = r; crop[1][y, tx] = g; crop[2][y, tx] = b;
            }
        }

        double[,] wx = Weights(cropW, outW), wy = Weights(cropH, outH);
        var result = new double[outH * outW * outC];
        for (int c = 0; c < outC; c++)
        {
            var horizontal = new double[cropH, outW];
            for (int y = 0; y < cropH; y++)
            for (int o = 0; o < outW; o++)
            {
                double sum = 0;
                for (int i = 0; i < cropW; i++) sum += wx[o, i] * crop[c][y, i];
                horizontal[y, o] = sum;
            }
            for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
            {
                double sum = 0;
                for (int i = 0; i < cropH; i++) sum += wy[oy, i] * horizontal[i, ox];
                result[(oy * outW + ox) * outC + c] = (sum - mean[c]) / std[c];
            }
        }
        return result;
    }

    /// <summary>w[o, i]: the triangle filter stretched by max(scale, 1), at pixel centre i + ½ from o's centre, rows normalised.</summary>
    private static double[,] Weights(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize, stretch = Math.Max(1.0, scale);
        var w = new double[outSize, inSize];
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale, total = 0;
            for (int i = 0; i < inSize; i++) total += w[o, i] = Math.Max(0.0, 1.0 - Math.Abs(i + 0.5 - center) / stretch);
            for (int i = 0; i < inSize; i++) w[o, i] /= total;
        }
        return w;
    }
}
