using System;
using System.Runtime.CompilerServices;

namespace SubnetGen.Runtime;

/// <summary>
/// The one implementation of image preprocessing: an 8-bit image of any size and <see cref="PixelFormat"/>
/// becomes a model input (HWC floats, normalised) in one pass — channel conversion, an antialiased
/// bilinear resize and <c>(v/255 − mean[c]) / std[c]</c>. Generated models call it inside their byte
/// <c>Predict</c>; it is also meant for the trainer's evaluation-time preprocessing (and, through the crop
/// and mirror arguments, its augmentation), so that an app sees its images exactly as the model was evaluated
/// on them. (The Fashion-MNIST supernets were evaluated on 28×28 images, for which this is exactly
/// <see cref="Kernels.Normalize"/> of <c>byte / 255f</c>.)
/// </summary>
/// <remarks>
/// <para><b>Policy</b> (the overload without a crop): resize the shorter side and centre-crop —
/// <see cref="CenterCrop"/> takes the largest centred rectangle with the model input's aspect ratio, and
/// that rectangle is resized to the input. Nothing is stretched and nothing is padded.</para>
/// <para><b>Resampling</b>: a triangle (bilinear) filter that widens with the scale factor when shrinking, as
/// Pillow's <c>Image.resize(…, BILINEAR)</c> of the cropped image: per axis, scale = crop / output,
/// f = max(scale, 1); output index o has centre c = (o + ½)·scale in crop coordinates; source pixel i
/// (centre i + ½, inside the crop) has weight max(0, 1 − |i + ½ − c| / f), the weights normalised to sum 1.
/// Pixels outside the crop are never read (the window is clipped to the crop and renormalised).</para>
/// <para><b>Channels</b>: a 3-channel model reads R, G, B (Bgr/Bgra reordered; grey replicated to all three);
/// a 1-channel model reads grey, or the ITU-R BT.601 luma of a colour pixel, Y = (299 R + 587 G + 114 B) / 1000,
/// computed exactly (integers) per source pixel before resampling. Alpha is ignored.</para>
/// <para><b>Arithmetic</b>: the resampled value s (0–255) is a double sum, in a fixed order, of weight × value;
/// then out = ((float)(s / 255) − mean[c]) / std[c] in float, the formula of <see cref="Kernels.Normalize"/>.
/// Scalar code only (no SIMD, no fused multiply-add): every CPU gives the same bytes. An image already at
/// the output size, uncropped, gives exactly <c>Kernels.Normalize</c> of <c>byte / 255f</c>.</para>
/// <para>Nothing here allocates.</para>
/// </remarks>
public static class ImageInput
{
    /// <summary>Bytes per pixel of <paramref name="format"/>: 1 (Gray8), 3 (Rgb24, Bgr24) or 4 (Rgba32, Bgra32).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined <see cref="PixelFormat"/>.</exception>
    public static int BytesPerPixel(PixelFormat format)
    {
        Guard.Defined(format, nameof(format));
        return format switch
        {
            PixelFormat.Gray8 => 1,
            PixelFormat.Rgb24 => 3,
            PixelFormat.Bgr24 => 3,
            PixelFormat.Rgba32 => 4,
            PixelFormat.Bgra32 => 4,
        };
    }

    /// <summary>
    /// The crop of the documented policy ("resize the shorter side and centre-crop"): the largest rectangle with
    /// the output's aspect ratio, centred. When the image is at least as wide as the output
    /// (width·outHeight ≥ height·outWidth) it is the full height and cropWidth = round(height·outWidth / outHeight)
    /// columns from cropX = ⌊(width − cropWidth) / 2⌋; otherwise the full width and
    /// cropHeight = round(width·outHeight / outWidth) rows from cropY = ⌊(height − cropHeight) / 2⌋
    /// (round: halves up; at least 1).
    /// </summary>
    public static void CenterCrop(int width, int height, int outHeight, int outWidth, out int cropX, out int cropY, out int cropWidth, out int cropHeight)
    {
        Guard.Positive(width, nameof(width));
        Guard.Positive(height, nameof(height));
        Guard.Positive(outHeight, nameof(outHeight));
        Guard.Positive(outWidth, nameof(outWidth));
        if ((long)width * outHeight >= (long)height * outWidth)
        {
            cropHeight = height;
            cropWidth = RoundedRatio(height, outWidth, outHeight);
            cropX = (width - cropWidth) / 2;
            cropY = 0;
        }
        else
        {
            cropWidth = width;
            cropHeight = RoundedRatio(width, outHeight, outWidth);
            cropX = 0;
            cropY = (height - cropHeight) / 2;
        }
    }

    /// <summary>max(1, round(a·b / c)), halves up. a·b ≤ (2³¹)², so 2·a·b + c fits a long.</summary>
    private static int RoundedRatio(int a, int b, int c) => (int)Math.Max(1L, ((long)a * b * 2 + c) / (2L * c));

    /// <summary>
    /// An image as model input by the documented policy: <see cref="CenterCrop"/>, then resized to
    /// outHeight × outWidth, converted to outChannels and normalised (see the class remarks). Allocates nothing.
    /// </summary>
    /// <param name="pixels">The image: row y starts at byte y·rowStride; at least rowStride·(height − 1) + width·bytesPerPixel bytes.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="rowStride">Bytes from one row to the next, at least width·bytesPerPixel (padding bytes are never read).</param>
    /// <param name="format">How a pixel's bytes are laid out.</param>
    /// <param name="outHeight">Model input height.</param>
    /// <param name="outWidth">Model input width.</param>
    /// <param name="outChannels">Model input channels: 1 (grey) or 3 (RGB).</param>
    /// <param name="mean">Per-channel mean, in [0, 1] units (outChannels values).</param>
    /// <param name="std">Per-channel standard deviation (outChannels values).</param>
    /// <param name="output">Receives outHeight·outWidth·outChannels floats, HWC.</param>
    /// <exception cref="ArgumentException">A span has the wrong length (the message names the expected one) or output lies over pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, rowStride is too small, outChannels is not 1 or 3, or format is undefined.</exception>
    public static void Normalize(ReadOnlySpan<byte> pixels, int width, int height, int rowStride, PixelFormat format,
        int outHeight, int outWidth, int outChannels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> output)
    {
        CheckImage(pixels, width, height, rowStride, format);
        CenterCrop(width, height, outHeight, outWidth, out int cropX, out int cropY, out int cropWidth, out int cropHeight);
        Normalize(pixels, width, height, rowStride, format, cropX, cropY, cropWidth, cropHeight, mirror: false, outHeight, outWidth, outChannels, mean, std, output);
    }

    /// <summary>
    /// The crop rectangle (cropX, cropY, cropWidth × cropHeight) of an image, optionally mirrored left–right,
    /// resized to outHeight × outWidth, converted to outChannels and normalised (see the class remarks): the
    /// general form behind the policy overload, for training-time crops and flips. Allocates nothing.
    /// </summary>
    /// <param name="pixels">The image: row y starts at byte y·rowStride; at least rowStride·(height − 1) + width·bytesPerPixel bytes.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="rowStride">Bytes from one row to the next, at least width·bytesPerPixel.</param>
    /// <param name="format">How a pixel's bytes are laid out.</param>
    /// <param name="cropX">Left column of the crop.</param>
    /// <param name="cropY">Top row of the crop.</param>
    /// <param name="cropWidth">Crop width; cropX + cropWidth ≤ width.</param>
    /// <param name="cropHeight">Crop height; cropY + cropHeight ≤ height.</param>
    /// <param name="mirror">Flip the result left–right (output column x shows what column outWidth − 1 − x would).</param>
    /// <param name="outHeight">Model input height.</param>
    /// <param name="outWidth">Model input width.</param>
    /// <param name="outChannels">Model input channels: 1 (grey) or 3 (RGB).</param>
    /// <param name="mean">Per-channel mean, in [0, 1] units (outChannels values).</param>
    /// <param name="std">Per-channel standard deviation (outChannels values).</param>
    /// <param name="output">Receives outHeight·outWidth·outChannels floats, HWC.</param>
    /// <exception cref="ArgumentException">A span has the wrong length (the message names the expected one) or output lies over pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, rowStride is too small, the crop leaves the image, outChannels is not 1 or 3, or format is undefined.</exception>
    public static void Normalize(ReadOnlySpan<byte> pixels, int width, int height, int rowStride, PixelFormat format,
        int cropX, int cropY, int cropWidth, int cropHeight, bool mirror,
        int outHeight, int outWidth, int outChannels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> output)
    {
        CheckImage(pixels, width, height, rowStride, format);
        CheckCrop(cropX, cropWidth, width, nameof(cropX), nameof(cropWidth), "width");
        CheckCrop(cropY, cropHeight, height, nameof(cropY), nameof(cropHeight), "height");
        Guard.Positive(outHeight, nameof(outHeight));
        Guard.Positive(outWidth, nameof(outWidth));
        if (outChannels != 1 && outChannels != 3) ThrowChannels(outChannels);
        Guard.Length(mean.Length, outChannels, nameof(mean), "outChannels");
        Guard.Length(std.Length, outChannels, nameof(std), "outChannels");
        Guard.Length(output.Length, (long)outHeight * outWidth * outChannels, nameof(output), "outHeight*outWidth*outChannels");
        Guard.NoOverlap(pixels, output, nameof(pixels), nameof(output));
        var crop = pixels.Slice(cropY * rowStride + cropX * BytesPerPixel(format));
        if (cropWidth == outWidth && cropHeight == outHeight)
            Copy(crop, rowStride, format, mirror, outHeight, outWidth, outChannels, mean, std, output);
        else
            Resample(crop, rowStride, format, cropWidth, cropHeight, mirror, outHeight, outWidth, outChannels, mean, std, output);
    }

    private static void CheckImage(ReadOnlySpan<byte> pixels, int width, int height, int rowStride, PixelFormat format)
    {
        Guard.Defined(format, nameof(format));
        Guard.Positive(width, nameof(width));
        Guard.Positive(height, nameof(height));
        Guard.Positive(rowStride, nameof(rowStride));
        int bpp = BytesPerPixel(format);
        long rowBytes = (long)width * bpp;
        if (rowStride < rowBytes) ThrowStride(rowStride, width, bpp, format);
        long needed = (long)rowStride * (height - 1) + rowBytes;
        if (pixels.Length < needed) ThrowPixelsLength(pixels.Length, needed, width, height, rowStride, bpp);
    }

    private static void CheckCrop(int start, int size, int imageSize, string startName, string sizeName, string imageName)
    {
        Guard.Positive(size, sizeName);
        if (start < 0 || (long)start + size > imageSize) ThrowCrop(start, size, imageSize, start < 0 ? startName : sizeName, startName, sizeName, imageName);
    }

    /// <summary>Horizontal taps whose weights are held at once (on the stack: 2 KB). Wider windows — a crop over
    /// 28·127 ≈ 3,500 pixels wide shrunk to 28 — are summed in blocks of this many columns, in order.</summary>
    private const int TapBlock = 256;

    /// <summary>
    /// The resize itself, on pixels that start at the crop's top-left byte (internal: the tests also run it where
    /// <see cref="Copy"/> would, to compare the two). For each output pixel: the vertical
    /// and horizontal tap windows; then, per block of up to <see cref="TapBlock"/> columns (one block unless the
    /// window is wider), the block's horizontal weights on the stack and Σ_y wy · (Σ_x wx · v) over the window in
    /// increasing y and x, added to the pixel's sums; finally the sums divided by (Σwy · Σwx). No heap, no weight
    /// table, no intermediate image.
    /// </summary>
    internal static unsafe void Resample(ReadOnlySpan<byte> crop, int rowStride, PixelFormat format, int cropWidth, int cropHeight, bool mirror,
        int outHeight, int outWidth, int outChannels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> output)
    {
        int bpp = BytesPerPixel(format);
        bool grey = format == PixelFormat.Gray8;
        bool bgr = format is PixelFormat.Bgr24 or PixelFormat.Bgra32;
        int red = bgr ? 2 : 0, blue = bgr ? 0 : 2;
        // 1-channel models accumulate 1000·grey or 299 R + 587 G + 114 B (exact integers), so grey stored as Gray8 or
        // as equal R, G, B gives the same sums; the divisor brings both back to [0, 1]. (Computed here rather than in
        // a helper with out parameters or a struct: either made the JIT keep the inner loops' values off registers,
        // 10–15 % slower on large images.)
        bool luma = outChannels == 1;
        double divisor = luma ? 255000.0 : 255.0;
        int greyScale = luma ? 1000 : 1;
        double scaleY = (double)cropHeight / outHeight, scaleX = (double)cropWidth / outWidth;
        double spanY = Math.Max(scaleY, 1.0), spanX = Math.Max(scaleX, 1.0);
        double invY = 1.0 / spanY, invX = 1.0 / spanX;
        double* wx = stackalloc double[TapBlock];

        fixed (byte* origin = crop)
        {
            int o = 0;
            for (int oy = 0; oy < outHeight; oy++)
            {
                double centerY = (oy + 0.5) * scaleY;
                Window(centerY, spanY, cropHeight, out int y0, out int y1);
                double sumY = 0;
                for (int y = y0; y < y1; y++) sumY += Weight(y, centerY, invY);
                for (int ox = 0; ox < outWidth; ox++)
                {
                    double centerX = ((mirror ? outWidth - 1 - ox : ox) + 0.5) * scaleX;
                    Window(centerX, spanX, cropWidth, out int x0, out int x1);
                    double sumX = 0, a0 = 0, a1 = 0, a2 = 0;
                    for (int xb = x0; xb < x1; xb += TapBlock)
                    {
                        int taps = Math.Min(TapBlock, x1 - xb);
                        for (int k = 0; k < taps; k++) sumX += wx[k] = Weight(xb + k, centerX, invX);
                        for (int y = y0; y < y1; y++)
                        {
                            double wy = Weight(y, centerY, invY);
                            if (wy == 0) continue;
                            byte* p = origin + (long)y * rowStride + (long)xb * bpp;
                            if (grey)
                            {
                                double r = 0;
                                for (int k = 0; k < taps; k++) r += wx[k] * (p[k] * greyScale);
                                a0 += wy * r;
                            }
                            else if (luma)
                            {
                                double r = 0;
                                for (int k = 0; k < taps; k++, p += bpp) r += wx[k] * (299 * p[red] + 587 * p[1] + 114 * p[blue]);
                                a0 += wy * r;
                            }
                            else
                            {
                                double r0 = 0, r1 = 0, r2 = 0;
                                for (int k = 0; k < taps; k++, p += bpp)
                                {
                                    double w = wx[k];
                                    r0 += w * p[red];
                                    r1 += w * p[1];
                                    r2 += w * p[blue];
                                }
                                a0 += wy * r0;
                                a1 += wy * r1;
                                a2 += wy * r2;
                            }
                        }
                    }

                    double norm = sumY * sumX * divisor;
                    if (luma)
                    {
                        output[o] = ((float)(a0 / norm) - mean[0]) / std[0];
                    }
                    else
                    {
                        if (grey) a1 = a2 = a0;
                        output[o] = ((float)(a0 / norm) - mean[0]) / std[0];
                        output[o + 1] = ((float)(a1 / norm) - mean[1]) / std[1];
                        output[o + 2] = ((float)(a2 / norm) - mean[2]) / std[2];
                    }
                    o += outChannels;
                }
            }
        }
    }

    /// <summary>
    /// The crop already has the output's size: every window is the one pixel under the output pixel with weight 1
    /// (its neighbour weighs 0), so the resize returns the pixel's value exactly — computed here directly, with
    /// the same operations on the same numbers as <see cref="Resample"/>, so the bytes are the same (a test
    /// compares the two bit for bit), in a fraction of the time.
    /// </summary>
    private static void Copy(ReadOnlySpan<byte> crop, int rowStride, PixelFormat format, bool mirror,
        int outHeight, int outWidth, int outChannels, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> output)
    {
        // The layout as in Resample.
        int bpp = BytesPerPixel(format);
        bool grey = format == PixelFormat.Gray8;
        bool bgr = format is PixelFormat.Bgr24 or PixelFormat.Bgra32;
        int red = bgr ? 2 : 0, blue = bgr ? 0 : 2;
        bool luma = outChannels == 1;
        double divisor = luma ? 255000.0 : 255.0;
        int o = 0;
        for (int y = 0; y < outHeight; y++)
        {
            ReadOnlySpan<byte> row = crop.Slice(y * rowStride);
            for (int ox = 0; ox < outWidth; ox++, o += outChannels)
            {
                int p = (mirror ? outWidth - 1 - ox : ox) * bpp;
                if (luma)
                {
                    int v = grey ? row[p] * 1000 : 299 * row[p + red] + 587 * row[p + 1] + 114 * row[p + blue];
                    output[o] = ((float)(v / divisor) - mean[0]) / std[0];
                }
                else if (grey)
                {
                    float v = (float)(row[p] / divisor);
                    output[o] = (v - mean[0]) / std[0];
                    output[o + 1] = (v - mean[1]) / std[1];
                    output[o + 2] = (v - mean[2]) / std[2];
                }
                else
                {
                    output[o] = ((float)(row[p + red] / divisor) - mean[0]) / std[0];
                    output[o + 1] = ((float)(row[p + 1] / divisor) - mean[1]) / std[1];
                    output[o + 2] = ((float)(row[p + blue] / divisor) - mean[2]) / std[2];
                }
            }
        }
    }

    /// <summary>Source indices [from, to) that may have a non-zero weight (Pillow's rounding), clipped to [0, size).</summary>
    private static void Window(double center, double span, int size, out int from, out int to)
    {
        from = (int)(center - span + 0.5);
        if (from < 0) from = 0;
        to = (int)(center + span + 0.5);
        if (to > size) to = size;
    }

    /// <summary>The triangle filter at source index i: max(0, 1 − |i + ½ − center| / span).</summary>
    private static double Weight(int i, double center, double inverseSpan)
    {
        double w = 1.0 - Math.Abs(i + 0.5 - center) * inverseSpan;
        return w > 0 ? w : 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStride(int rowStride, int width, int bpp, PixelFormat format) =>
        throw new ArgumentOutOfRangeException(nameof(rowStride), rowStride,
            $"rowStride must be at least width*bytesPerPixel = {(long)width * bpp} ({width}*{bpp} for {format}); it is {rowStride}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPixelsLength(int actual, long expected, int width, int height, int rowStride, int bpp) =>
        throw new ArgumentException(
            $"pixels has {actual} bytes; expected at least {expected} (rowStride*(height-1)+width*bytesPerPixel = {rowStride}*{height - 1}+{width}*{bpp}).",
            "pixels");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowCrop(int start, int size, int imageSize, string paramName, string startName, string sizeName, string imageName) =>
        throw new ArgumentOutOfRangeException(paramName,
            $"the crop must lie inside the image: {startName} {start} and {sizeName} {size} need 0 <= {startName} and {startName}+{sizeName} <= {imageName} {imageSize}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowChannels(int outChannels) =>
        throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, $"outChannels must be 1 (grey) or 3 (RGB); it is {outChannels}.");
}
