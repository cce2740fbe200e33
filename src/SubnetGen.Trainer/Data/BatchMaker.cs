using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Data;

/// <summary>Turns byte images into float NCHW batches in [0,1], optionally augmented (random crop with zero padding, horizontal flip).</summary>
internal static class BatchMaker
{
    public static (Tensor Images, Tensor Labels) Make(ImageSet set, IReadOnlyList<int> indices, Device device, Random? augment = null, int padding = 2)
    {
        int n = indices.Count, h = set.Height, w = set.Width, c = set.Channels;
        var data = new float[n * c * h * w];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            var image = set.Image(indices[i]);
            labels[i] = set.Labels[indices[i]];
            int dy = 0, dx = 0;
            bool flip = false;
            if (augment is not null)
            {
                dy = augment.Next(-padding, padding + 1);
                dx = augment.Next(-padding, padding + 1);
                flip = augment.Next(2) == 1;
            }
            int baseOut = i * c * h * w;
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

    public static int[] Range(int start, int count)
    {
        var r = new int[count];
        for (int i = 0; i < count; i++) r[i] = start + i;
        return r;
    }
}
