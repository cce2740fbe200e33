using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Data;

/// <summary>
/// Turns an <see cref="ImageSet"/>'s images into float NCHW batches in [0,1] (the model normalises them), augmented when
/// a random source is given. Folder datasets are preprocessed from their originals by the app's own code
/// (<see cref="SourceImage"/>): centre crop for evaluation, a random resized crop for training.
/// </summary>
internal static class BatchMaker
{
    /// <param name="augment">Draws the augmentation; null: none (evaluation).</param>
    /// <param name="augmentation">What to vary when <paramref name="augment"/> is given; null: <see cref="Augmentation.FixedSize"/> for
    /// fixed-size sets, <see cref="Augmentation.Photos"/> for folder datasets.</param>
    /// <param name="size">The batch's height and width where it is not the set's: a lower resolution of a supernet with
    /// elastic resolution. Images are then resized from the originals (fixed-size sets: from their own bytes), and the
    /// shift of fixed-size images is left out.</param>
    public static (Tensor Images, Tensor Labels) Make(ImageSet set, IReadOnlyList<int> indices, Device device, Random? augment = null,
        Augmentation? augmentation = null, int padding = 2, (int Height, int Width)? size = null)
    {
        int n = indices.Count, h = size?.Height ?? set.Height, w = size?.Width ?? set.Width, c = set.Channels;
        bool resize = h != set.Height || w != set.Width;
        var data = new float[n * c * h * w];
        var labels = new long[n];
        var rule = augment is null ? Augmentation.None : augmentation ?? (set.Originals is null ? Augmentation.FixedSize : Augmentation.Photos);
        if (resize && rule.Shift) rule = rule with { Shift = false };
        var values = set.Originals is null && !resize ? null : new float[h * w * c];
        for (int i = 0; i < n; i++)
        {
            labels[i] = set.Labels[indices[i]];
            int baseOut = i * c * h * w;
            if (set.Originals is not null || resize)
            {
                var source = set.Originals?[indices[i]] ?? new SourceImage(set.Image(indices[i]).ToArray(), set.Width, set.Height,
                    c == 1 ? SubnetGen.Runtime.PixelFormat.Gray8 : SubnetGen.Runtime.PixelFormat.Rgb24);
                bool mirror = rule.Flip && augment!.Next(2) == 1;
                if (rule.ResizedCrop) source.Preprocess(Augmentation.RandomCrop(augment!, source.Width, source.Height, h, w), mirror, h, w, c, values);
                else if (mirror) source.Preprocess(CenterCrop(source, h, w), true, h, w, c, values);
                else source.Preprocess(h, w, c, values);
                for (int p = 0; p < h * w; p++)
                    for (int ch = 0; ch < c; ch++)
                        data[baseOut + ch * h * w + p] = values![p * c + ch];
                continue;
            }

            var image = set.Image(indices[i]);
            int dy = 0, dx = 0;
            bool flip = false;
            if (rule.Shift)
            {
                dy = augment!.Next(-padding, padding + 1);
                dx = augment.Next(-padding, padding + 1);
            }
            if (rule.Flip) flip = augment!.Next(2) == 1;
            for (int y = 0; y < h; y++)
            {
                int sy = y + dy;
                if (sy < 0 || sy >= h) continue;
                for (int x = 0; x < w; x++)
                {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    if (sx < 0 || sx >= w) continue;
                    for (int ch = 0; ch < c; ch++)
                        data[baseOut + ch * h * w + y * w + x] = image[(sy * w + sx) * c + ch] / 255f;
                }
            }
        }
        return (tensor(data, new long[] { n, c, h, w }).to(device), tensor(labels).to(device));
    }

    private static CropBox CenterCrop(SourceImage source, int h, int w)
    {
        SubnetGen.Runtime.ImageInput.CenterCrop(source.Width, source.Height, h, w, out int x, out int y, out int cw, out int ch);
        return new CropBox(x, y, cw, ch);
    }

    public static int[] Range(int start, int count)
    {
        var r = new int[count];
        for (int i = 0; i < count; i++) r[i] = start + i;
        return r;
    }
}
