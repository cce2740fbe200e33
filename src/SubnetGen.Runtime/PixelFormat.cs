namespace SubnetGen.Runtime;

/// <summary>
/// Layouts of an 8-bit image that <see cref="ImageInput"/> reads: one byte per channel, pixels left to right,
/// rows top to bottom, each row starting <c>rowStride</c> bytes after the previous one. Alpha is ignored.
/// </summary>
public enum PixelFormat
{
    /// <summary>1 byte per pixel: grey (0 black, 255 white).</summary>
    Gray8 = 0,

    /// <summary>3 bytes per pixel: red, green, blue.</summary>
    Rgb24 = 1,

    /// <summary>3 bytes per pixel: blue, green, red (Windows bitmaps, OpenCV).</summary>
    Bgr24 = 2,

    /// <summary>4 bytes per pixel: red, green, blue, alpha (ignored).</summary>
    Rgba32 = 3,

    /// <summary>4 bytes per pixel: blue, green, red, alpha (ignored).</summary>
    Bgra32 = 4,
}
