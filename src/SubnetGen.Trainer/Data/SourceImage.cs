using System;
using SubnetGen.Runtime;

namespace SubnetGen.Trainer.Data;

/// <summary>
/// One image of a folder dataset as decoded, at its own size: Gray8 or Rgb24, rows packed. Turned into the model's
/// input by SubnetGen.Runtime's <see cref="ImageInput"/>, the code the generated class runs in the app, so evaluation
/// here sees exactly what the app will.
/// </summary>
internal sealed record SourceImage(byte[] Pixels, int Width, int Height, PixelFormat Format)
{
    public int RowStride => Width * ImageInput.BytesPerPixel(Format);

    /// <summary>The app's preprocessing (shorter side resized, centre crop), as values in [0, 1] (HWC); the model normalises them.</summary>
    public void Preprocess(int height, int width, int channels, Span<float> output) =>
        ImageInput.Normalize(Pixels, Width, Height, RowStride, Format, height, width, channels, Zeros(channels), Ones(channels), output);

    /// <summary>The crop <paramref name="crop"/> of the image, mirrored or not, resized to the output (training augmentation).</summary>
    public void Preprocess(CropBox crop, bool mirror, int height, int width, int channels, Span<float> output) =>
        ImageInput.Normalize(Pixels, Width, Height, RowStride, Format, crop.X, crop.Y, crop.Width, crop.Height, mirror,
            height, width, channels, Zeros(channels), Ones(channels), output);

    private static readonly float[] Zero1 = { 0f }, Zero3 = { 0f, 0f, 0f }, One1 = { 1f }, One3 = { 1f, 1f, 1f };
    private static float[] Zeros(int channels) => channels == 1 ? Zero1 : Zero3;
    private static float[] Ones(int channels) => channels == 1 ? One1 : One3;
}

/// <summary>A rectangle of a source image, in pixels.</summary>
internal readonly record struct CropBox(int X, int Y, int Width, int Height);
