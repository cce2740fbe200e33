// One decoder for image files, compiled into the trainer (training folders) and the CLI (test folders), so a file
// the trainer learned from is read the same way when `subnetgen evaluate` scores it. Internal in both.
using System;
using System.IO;
using System.Linq;
using StbImageSharp;
using SubnetGen.Runtime;

namespace SubnetGen.Imaging;

/// <summary>PNG, JPEG, BMP and TGA files decoded with StbImageSharp: grey images as Gray8, colour ones as Rgb24 (alpha dropped, as the model's preprocessing ignores it).</summary>
internal static class ImageFile
{
    public static readonly string[] Extensions = { ".png", ".jpg", ".jpeg", ".bmp", ".tga" };

    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <exception cref="InvalidDataException">The file is not an image StbImageSharp can read; the message says why.</exception>
    public static (byte[] Pixels, int Width, int Height, PixelFormat Format) Decode(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        try
        {
            var info = ImageInfo.FromStream(new MemoryStream(bytes)) ?? throw new InvalidDataException("not an image StbImageSharp can read");
            bool grey = info.ColorComponents is ColorComponents.Grey or ColorComponents.GreyAlpha;
            var image = ImageResult.FromMemory(bytes, grey ? ColorComponents.Grey : ColorComponents.RedGreenBlue);
            return (image.Data, image.Width, image.Height, grey ? PixelFormat.Gray8 : PixelFormat.Rgb24);
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
