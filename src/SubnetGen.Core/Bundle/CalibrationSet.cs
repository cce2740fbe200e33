using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.IO;

namespace SubnetGen.Core.Bundle;

/// <summary>
/// <c>calibration.bin</c> (docs/formats.md): training images kept with the supernet so BN statistics can be
/// recalibrated for each extracted subnet. Little-endian: magic <c>SGCAL1\0\0</c> or <c>SGCAL2\0\0</c>, int32 count,
/// height, width, channels, then count images as bytes (HWC, 0–255), then count labels: one byte each in version 1,
/// uint16 each in version 2. Version 1 is written whenever every label fits a byte (so sets of up to 256 classes keep
/// their bytes), version 2 otherwise; both are read.
/// </summary>
public sealed class CalibrationSet
{
    public const string FileName = "calibration.bin";
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SGCAL1\0\0");
    private const byte Version1 = (byte)'1', Version2 = (byte)'2';
    private const int HeaderBytes = 8 + 4 * 4;

    public CalibrationSet(int height, int width, int channels, byte[] images, int[] labels)
    {
        if (height <= 0 || width <= 0 || channels <= 0) throw new ArgumentException("Image height, width and channels must be positive.");
        int imageBytes = height * width * channels;
        if (images.Length % imageBytes != 0 || images.Length / imageBytes != labels.Length)
            throw new ArgumentException($"{images.Length} image bytes and {labels.Length} labels do not describe whole {height}x{width}x{channels} images with one label each.");
        foreach (int label in labels)
            if (label is < 0 or > ushort.MaxValue) throw new ArgumentException($"Label {label} is outside 0–{ushort.MaxValue}.");
        Height = height;
        Width = width;
        Channels = channels;
        Images = images;
        Labels = labels;
    }

    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public int Count => Labels.Length;
    public int ImageBytes => Height * Width * Channels;
    /// <summary>All images back to back, each HWC bytes 0–255.</summary>
    public byte[] Images { get; }
    public int[] Labels { get; }

    public static CalibrationSet Empty(int height, int width, int channels) =>
        new(height, width, channels, Array.Empty<byte>(), Array.Empty<int>());

    /// <summary>Image <paramref name="index"/> as HWC bytes.</summary>
    public ArraySegment<byte> Image(int index) => new(Images, index * ImageBytes, ImageBytes);

    public byte[] ToBytes()
    {
        bool wide = Array.Exists(Labels, l => l > byte.MaxValue);
        int labelBytes = wide ? 2 : 1;
        var bytes = new byte[HeaderBytes + Images.Length + Labels.Length * labelBytes];
        Buffer.BlockCopy(Magic, 0, bytes, 0, 8);
        if (wide) bytes[5] = Version2;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), Count);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), Height);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), Width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), Channels);
        Buffer.BlockCopy(Images, 0, bytes, HeaderBytes, Images.Length);
        int at = HeaderBytes + Images.Length;
        for (int i = 0; i < Labels.Length; i++)
        {
            if (wide) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2 * i), (ushort)Labels[i]);
            else bytes[at + i] = (byte)Labels[i];
        }
        return bytes;
    }

    public void Write(string path) => AtomicFile.Write(path, ToBytes());

    public static CalibrationSet Read(string path)
    {
        if (!File.Exists(path))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(path)} does not exist.", path,
                "a supernet bundle needs calibration.bin beside supernet.json (it may hold zero images).");
        return Parse(File.ReadAllBytes(path), path);
    }

    public static CalibrationSet Parse(byte[] bytes, string file)
    {
        SubnetGenException Corrupt(string why) => FormatJson.Error(DiagnosticCodes.CalibrationCorrupt,
            $"{Path.GetFileName(file)} is not a valid calibration set: {why}.", file, "re-export the supernet bundle.");
        if (bytes.Length < HeaderBytes) throw Corrupt($"it has {bytes.Length} bytes, fewer than the {HeaderBytes}-byte header");
        for (int i = 0; i < 5; i++)
            if (bytes[i] != Magic[i]) throw Corrupt("it does not start with SGCAL");
        // The digit after SGCAL is the format version.
        if ((bytes[5] != Version1 && bytes[5] != Version2) || bytes[6] != 0 || bytes[7] != 0)
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.UnsupportedFormatVersion,
                $"{Path.GetFileName(file)} has an unknown calibration format version; this SubnetGen reads SGCAL1 and SGCAL2.", file, 0, 0,
                "use a SubnetGen version that matches the supernet, or re-export it."));
        int labelBytes = bytes[5] == Version2 ? 2 : 1;
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)), height = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        int width = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)), channels = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20));
        if (count < 0 || height <= 0 || width <= 0 || channels <= 0)
            throw Corrupt($"count {count}, height {height}, width {width}, channels {channels} are not all positive");
        long expected = HeaderBytes + (long)count * height * width * channels + (long)count * labelBytes;
        if (bytes.Length != expected) throw Corrupt($"it has {bytes.Length} bytes; the header promises {expected}");
        int imageBytes = count * height * width * channels;
        var images = new byte[imageBytes];
        var labels = new int[count];
        Buffer.BlockCopy(bytes, HeaderBytes, images, 0, imageBytes);
        int at = HeaderBytes + imageBytes;
        for (int i = 0; i < count; i++)
            labels[i] = labelBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 2 * i)) : bytes[at + i];
        return new CalibrationSet(height, width, channels, images, labels);
    }
}
