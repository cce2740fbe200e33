using System;
using System.IO;
using System.Linq;
using StbImageSharp;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;
using SubnetGen.TestSupport;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Model;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// Image folders as a user has them: real Fashion-MNIST images written as PNG at mixed sizes, grey and colour. The
/// trainer reads them, derives the structure from them, and evaluates on exactly the tensor the app's generated
/// model computes from the same file.
/// </summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "subnetgen-folder-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 1)]
    public void EvaluationTensor_IsTheRuntimesPreprocessing_OnImagesOfSeveralSizesAndFormats(bool colour, int channels)
    {
        TorchRequirement.Ensure();
        FashionMnistPngFolder.Write(_root, new[] { 0, 1, 7 }, perClass: 12, minSide: 20, maxSide: 70, colour, seed: 3);
        var splits = DataSource.Load(_root, 5000, 42, new FolderOptions(null, 36, 44), out var description);
        Assert.Equal(channels, splits.Train.Channels);
        Assert.Equal((36, 44), (splits.Train.Height, splits.Train.Width));
        Assert.Equal("3 classes: sneaker 12, trouser 12, tshirt 12", description);
        Assert.Equal(new[] { "sneaker", "trouser", "tshirt" }, splits.Train.ClassNames);
        var spec = DataSource.Spec(Family.CompOfa, splits);
        Assert.Equal(channels, spec.Input.Channels);

        using var model = new ElasticSupernet(spec, CPU, 5);
        var set = splits.Test;
        var (batch, _) = BatchMaker.Make(set, BatchMaker.Range(0, set.Count), CPU);
        float[] trainer;
        using (no_grad()) trainer = model.Normalise(batch).data<float>().ToArray();

        int length = 36 * 44 * channels;
        float worst = 0;
        for (int i = 0; i < set.Count; i++)
        {
            // The app's side: the PNG decoded as any app would (RGBA bytes), then the generated model's preprocessing.
            var file = Directory.GetFiles(_root, "*.png", SearchOption.AllDirectories).Select(f => (f, Decode(f)))
                .Single(p => p.Item2.Width == set.Originals![i].Width && p.Item2.Height == set.Originals[i].Height && Same(p.Item2, set.Originals[i]));
            var image = file.Item2;
            var runtime = new float[length];
            ImageInput.Normalize(image.Data, image.Width, image.Height, image.Width * 4, PixelFormat.Rgba32, 36, 44, channels,
                spec.Input.Mean.ToArray(), spec.Input.Std.ToArray(), runtime);
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < 36 * 44; p++)
                    worst = Math.Max(worst, Math.Abs(trainer[(i * channels + c) * 36 * 44 + p] - runtime[p * channels + c]));
        }
        Assert.True(set.Count >= 3, "too few test images to compare");
        Assert.True(worst <= 1e-6f, $"the trainer's evaluation tensor differs from the runtime's by {worst}");
    }

    [Fact]
    public void ValidationSplit_OfAFolder_MixesTheClasses_SoCalibrationAndPredictorImagesSeeThemAll()
    {
        // Class folders load one class after the other; the validation split's first images calibrate BN and the next
        // ones score the predictor, so in file order they would be one or two classes.
        FashionMnistPngFolder.Write(_root, new[] { 0, 1, 7, 8 }, perClass: 100, minSide: 28, maxSide: 28, colour: false, seed: 4);
        var splits = DataSource.Load(_root, 5000, 42, FolderOptions.Auto, out _);
        Assert.Equal(36, splits.Validation.Count);
        Assert.Equal(4, splits.Validation.Labels.Take(12).Distinct().Count());
        Assert.Equal(4, splits.Validation.Labels.Skip(12).Take(12).Distinct().Count());
        // Same seed, same split.
        Assert.Equal(splits.Validation.Labels, DataSource.Load(_root, 5000, 42, FolderOptions.Auto, out _).Validation.Labels);
    }

    [Fact]
    public void Limits_SpreadOverAFolderSetsClasses_AndTakeTheFirstImagesOfAnIdxSet()
    {
        // Class folders load one class after the other: 3 classes × 4 images, labels 0,0,0,0,1,1,1,1,2,2,2,2.
        int[] labels = Enumerable.Range(0, 12).Select(i => i / 4).ToArray();
        var originals = labels.Select(l => new SourceImage(new[] { (byte)l }, 1, 1, PixelFormat.Gray8)).ToArray();
        var folder = new ImageSet(labels.Select(l => (byte)l).ToArray(), labels, 1, 1, 1, new[] { "a", "b", "c" }, originals);
        Assert.Equal(new[] { 0, 0, 1, 1, 2 }, folder.Limit(5).Labels); // images 0, 2, 4, 7, 9
        Assert.Equal(3, folder.Limit(6).Labels.Distinct().Count());
        Assert.Same(folder, folder.Limit(12));

        var idx = new ImageSet(labels.Select(l => (byte)l).ToArray(), labels, 1, 1, 1, new[] { "a", "b", "c" });
        Assert.Equal(new[] { 0, 0, 0, 0, 1 }, idx.Limit(5).Labels);
    }

    [Fact]
    public void MixedSizes_DefaultToTheMedianShorterSide_AndColourToThreeChannels()
    {
        FashionMnistPngFolder.Write(_root, new[] { 2, 3 }, perClass: 10, minSide: 30, maxSide: 50, colour: true, seed: 4);
        var splits = DataSource.Load(_root, 5000, 42, FolderOptions.Auto, out _);
        var sides = Directory.GetFiles(_root, "*.png", SearchOption.AllDirectories).Select(f => Decode(f)).Select(i => Math.Min(i.Width, i.Height)).OrderBy(s => s).ToArray();
        Assert.Equal(sides[sides.Length / 2], splits.Train.Height);
        Assert.Equal(splits.Train.Height, splits.Train.Width);
        Assert.Equal(3, splits.Train.Channels);
        // A tenth held out as the test split, a tenth of the rest as validation: every image in exactly one split.
        Assert.Equal(20, splits.Train.Count + splits.Validation.Count + splits.Test.Count);
        var spec = DataSource.Spec(Family.MoOfa, splits);
        Assert.Equal(2, spec.ClassCount);
        Assert.Equal(StrideRule.For(splits.Train.Height).Stages, spec.Stages.Select(s => s.Stride));
    }

    [Fact]
    public void BadFolders_AreCodedErrors_NamingTheFolderOrFile()
    {
        // One class.
        Directory.CreateDirectory(Path.Combine(_root, "one", "cats"));
        File.WriteAllBytes(Path.Combine(_root, "one", "cats", "a.png"), Png());
        Assert.Equal(DiagnosticCodes.TooFewClasses, Error(() => DataSource.Load(Path.Combine(_root, "one"), 10, 1)).Code);

        // A class without images (a text file is not an image).
        Directory.CreateDirectory(Path.Combine(_root, "empty", "cats"));
        Directory.CreateDirectory(Path.Combine(_root, "empty", "dogs"));
        File.WriteAllBytes(Path.Combine(_root, "empty", "cats", "a.png"), Png());
        File.WriteAllText(Path.Combine(_root, "empty", "dogs", "notes.txt"), "no images here");
        var empty = Error(() => DataSource.Load(Path.Combine(_root, "empty"), 10, 1));
        Assert.Equal(DiagnosticCodes.EmptyClass, empty.Code);
        Assert.EndsWith(Path.Combine("empty", "dogs"), empty.File);

        // An image that does not decode.
        Directory.CreateDirectory(Path.Combine(_root, "broken", "cats"));
        Directory.CreateDirectory(Path.Combine(_root, "broken", "dogs"));
        File.WriteAllBytes(Path.Combine(_root, "broken", "cats", "a.png"), Png());
        File.WriteAllBytes(Path.Combine(_root, "broken", "dogs", "b.png"), new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 });
        var broken = Error(() => DataSource.Load(Path.Combine(_root, "broken"), 10, 1));
        Assert.Equal(DiagnosticCodes.UnreadableImage, broken.Code);
        Assert.EndsWith("b.png", broken.File);

        // No such folder, and a folder of neither IDX files nor class folders.
        Assert.Equal(DiagnosticCodes.DataNotFound, Error(() => DataSource.Load(Path.Combine(_root, "missing"), 10, 1)).Code);
        Directory.CreateDirectory(Path.Combine(_root, "flat"));
        File.WriteAllBytes(Path.Combine(_root, "flat", "a.png"), Png());
        Assert.Equal(DiagnosticCodes.DataNotFound, Error(() => DataSource.Load(Path.Combine(_root, "flat"), 10, 1)).Code);

        // Options.
        Assert.Equal(DiagnosticCodes.TrainerOptionInvalid, Assert.Throws<SubnetGenException>(() => FolderOptions.ParseSize("big")).Diagnostic.Code);
        Assert.Equal(DiagnosticCodes.TrainerOptionInvalid, Assert.Throws<SubnetGenException>(() => FolderOptions.ParseChannels("4")).Diagnostic.Code);
        Assert.Contains("crop is for image folders", Assert.Throws<ArgumentException>(() => Augmentation.Parse("crop", folder: false)).Message);
        Assert.Equal(new Augmentation(false, true, false), Augmentation.Parse("crop", folder: true));
    }

    [Fact]
    public void GeometryOutsideTheRule_IsSNG6005()
    {
        FashionMnistPngFolder.Write(_root, new[] { 0, 1 }, perClass: 5, minSide: 20, maxSide: 24, colour: false, seed: 5);
        var splits = DataSource.Load(_root, 10, 1, new FolderOptions(1, 300, 300), out _);
        var e = Assert.Throws<SubnetGenException>(() => DataSource.Spec(Family.CompOfa, splits));
        Assert.Equal(DiagnosticCodes.GeometryUnsupported, e.Diagnostic.Code);
        Assert.Contains("300×300", e.Diagnostic.Message);
    }

    private static Diagnostic Error(Action load) => Assert.Throws<SubnetGenException>(load).Diagnostic;

    private static ImageResult Decode(string file) => ImageResult.FromMemory(File.ReadAllBytes(file), ColorComponents.RedGreenBlueAlpha);

    // Same content: the trainer's decoded original against the RGBA decoding (grey replicated; alpha 255).
    private static bool Same(ImageResult rgba, SourceImage original)
    {
        int bpp = ImageInput.BytesPerPixel(original.Format);
        for (int p = 0; p < original.Width * original.Height; p++)
            for (int c = 0; c < 3; c++)
                if (rgba.Data[4 * p + c] != original.Pixels[p * bpp + (bpp == 1 ? 0 : c)]) return false;
        return true;
    }

    private static byte[] Png()
    {
        using var stream = new MemoryStream();
        new StbImageWriteSharp.ImageWriter().WritePng(new byte[16 * 16], 16, 16, StbImageWriteSharp.ColorComponents.Grey, stream);
        return stream.ToArray();
    }
}
