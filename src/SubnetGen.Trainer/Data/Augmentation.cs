using System;
using System.Linq;

namespace SubnetGen.Trainer.Data;

/// <summary>
/// How training batches are varied. Fashion-MNIST (fixed-size images) keeps the released recipes' shift by up to
/// 2 pixels with zero padding and horizontal flip; image folders default to a random resized crop (OFA's
/// RandomResizedCrop with scale 0.35–1 and aspect 3/4–4/3) and horizontal flip. <c>--augment</c> switches each off:
/// digits or text must not be mirrored.
/// </summary>
internal sealed record Augmentation(bool Shift, bool ResizedCrop, bool Flip)
{
    public static readonly Augmentation None = new(false, false, false);
    public static readonly Augmentation FixedSize = new(true, false, true);
    public static readonly Augmentation Photos = new(false, true, true);

    public const double MinCropArea = 0.35, MaxCropAspect = 4.0 / 3;

    /// <summary>"default", "none", or a comma list of shift, crop, flip; <paramref name="folder"/> says which the dataset allows.</summary>
    public static Augmentation Parse(string text, bool folder)
    {
        var words = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w => w.ToLowerInvariant()).ToArray();
        if (words is ["default"]) return folder ? Photos : FixedSize;
        if (words is ["none"]) return None;
        foreach (var w in words)
            if (w is not ("shift" or "crop" or "flip"))
                throw new ArgumentException($"--augment {text}: \"{w}\" is not one of default, none, shift, crop, flip.");
        var result = new Augmentation(words.Contains("shift"), words.Contains("crop"), words.Contains("flip"));
        if (folder && result.Shift) throw new ArgumentException($"--augment {text}: shift is for fixed-size images (Fashion-MNIST); image folders use crop.");
        if (!folder && result.ResizedCrop) throw new ArgumentException($"--augment {text}: crop is for image folders; fixed-size images use shift.");
        return result;
    }

    /// <summary>A random crop of a <paramref name="width"/>×<paramref name="height"/> image for an output of the given aspect.</summary>
    public static CropBox RandomCrop(Random random, int width, int height, int outHeight, int outWidth)
    {
        double area = (double)width * height, outAspect = (double)outWidth / outHeight;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (MinCropArea + (1 - MinCropArea) * random.NextDouble());
            double aspect = outAspect * Math.Exp((2 * random.NextDouble() - 1) * Math.Log(MaxCropAspect));
            int w = (int)Math.Round(Math.Sqrt(target * aspect)), h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w < 1 || h < 1 || w > width || h > height) continue;
            return new CropBox(random.Next(width - w + 1), random.Next(height - h + 1), w, h);
        }
        SubnetGen.Runtime.ImageInput.CenterCrop(width, height, outHeight, outWidth, out int x, out int y, out int cw, out int ch);
        return new CropBox(x, y, cw, ch);
    }
}
