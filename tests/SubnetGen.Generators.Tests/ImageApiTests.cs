using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Space;
using SubnetGen.Generators.Tests.Infrastructure;
using SubnetGen.Runtime;

namespace SubnetGen.Generators.Tests;

/// <summary>
/// The generated class's 8-bit image overloads, compiled and run: on real Fashion-MNIST images with the trained
/// CompOFA supernet of feed/, on an RGB non-square model, and with bad arguments.
/// </summary>
public sealed class ImageApiTests
{
    private const int Images = 200;

    private static LoadedModel Compile(Artifacts.Built built, string ns = "Images")
    {
        var run = GeneratorHarness.Run(built.Json, rootNamespace: ns);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileProblems);
        return LoadedModel.Compile(run.Output, ns + ".FashionClassifier", built.Artifact.WeightsResource, built.WeightBytes);
    }

    private static Artifacts.Built Trained() =>
        Artifacts.Build(ReleasedSupernet.TrainedCompOfa, ReleasedSupernet.TrainedCompOfa.Spec.Space.Smallest(5));

    private static float MaxDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Each pixel repeated <paramref name="factor"/>×<paramref name="factor"/> times, written at (left, top) of a black canvas.</summary>
    private static byte[] Upscaled(byte[] image, int factor, int canvasWidth, int canvasHeight, int left, int top, int bytesPerPixel, int stride)
    {
        var canvas = new byte[stride * canvasHeight];
        for (int y = 0; y < 28 * factor; y++)
        for (int x = 0; x < 28 * factor; x++)
        for (int c = 0; c < bytesPerPixel; c++)
            canvas[(top + y) * stride + (left + x) * bytesPerPixel + c] = c == 3 ? (byte)255 : image[(y / factor) * 28 + x / factor];
        return canvas;
    }

    [Fact]
    public void Bytes_give_the_float_APIs_probabilities_on_real_images()
    {
        using var model = Compile(Trained());
        var bytes = FashionMnist.TestImageBytes(Images);
        float worst = 0;
        foreach (var image in bytes)
        {
            var expected = new float[10];
            model.Predict(Array.ConvertAll(image, b => b / 255f), expected);

            var gray = new float[10];
            model.PredictImage(image, 28, 28, 28, PixelFormat.Gray8, gray);
            worst = Math.Max(worst, MaxDiff(expected, gray));

            // The same grey image as padded BGRA: the luma of equal R, G, B is the grey value.
            var bgra = Upscaled(image, 1, 28, 28, 0, 0, 4, 28 * 4 + 12);
            var colour = new float[10];
            model.PredictImage(bgra, 28, 28, 28 * 4 + 12, PixelFormat.Bgra32, colour);
            Assert.Equal(gray, colour);
            Assert.Equal(ArgMax(expected), model.ClassifyImage(image, 28, 28, 28, PixelFormat.Gray8));
        }
        Assert.True(worst <= 1e-6f, $"byte and float Predict differ by up to {worst:G6}");
    }

    [Fact]
    public void Upscaled_and_letterboxed_copies_classify_like_the_originals()
    {
        using var model = Compile(Trained());
        var bytes = FashionMnist.TestImageBytes(Images);
        var labels = FashionMnist.TestLabels(Images);
        int agree = 0, right = 0, rightOriginal = 0;
        for (int i = 0; i < Images; i++)
        {
            int original = model.Classify(Array.ConvertAll(bytes[i], b => b / 255f));

            // 56×56, each pixel doubled: the 2× shrink blurs it a little ([⅛ ¾ ⅛] per axis).
            var large = new float[10];
            model.PredictImage(Upscaled(bytes[i], 2, 56, 56, 0, 0, 1, 56), 56, 56, 56, PixelFormat.Gray8, large);

            // The same 56×56 in the middle of an 84×56 RGB canvas with padded rows: the centre crop is exactly it.
            var wide = new float[10];
            model.PredictImage(Upscaled(bytes[i], 2, 84, 56, 14, 0, 3, 84 * 3 + 1), 84, 56, 84 * 3 + 1, PixelFormat.Rgb24, wide);
            Assert.Equal(large, wide);

            agree += ArgMax(large) == original ? 1 : 0;
            right += ArgMax(large) == labels[i] ? 1 : 0;
            rightOriginal += original == labels[i] ? 1 : 0;
        }
        // Measured (smallest CompOFA 1.1.0 subnet, first 200 test images): 194 agree; 180 copies and 184 originals right.
        // A wrong crop, axis or channel order falls far below these bars.
        Assert.True(agree >= Images * 9 / 10, $"the 56×56 copies agree with the 28×28 originals on {agree} of {Images}");
        Assert.True(right >= Images * 85 / 100 && rightOriginal >= Images * 85 / 100, $"right: {right} of the 56×56 copies, {rightOriginal} of the originals (of {Images})");
    }

    [Fact]
    public void Rgb_non_square_model_reads_every_colour_format()
    {
        var input = new InputSpec(24, 32, 3, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f });
        var built = Artifacts.Build(Artifacts.Bundle(input), DefaultSupernets.FashionMnist(Family.CompOfa).Space.Smallest(5));
        using var model = Compile(built);
        var random = new Random(3);
        var rgb = new byte[24 * 32 * 3];
        random.NextBytes(rgb);

        // At the model's size the byte overload is the float one on byte / 255.
        var expected = new float[10];
        model.Predict(Array.ConvertAll(rgb, b => b / 255f), expected);
        var actual = new float[10];
        model.PredictImage(rgb, 32, 24, 96, PixelFormat.Rgb24, actual);
        Assert.True(MaxDiff(expected, actual) <= 1e-6f, $"differ by {MaxDiff(expected, actual):G6}");

        // BGR and BGRA with padded rows: the same bytes in another order give the same probabilities.
        var bgra = new byte[24 * (32 * 4 + 8)];
        var bgr = new byte[24 * 32 * 3];
        for (int p = 0; p < 24 * 32; p++)
        {
            int y = p / 32, x = p % 32, s = p * 3, d = y * (32 * 4 + 8) + x * 4;
            bgr[s] = rgb[s + 2]; bgr[s + 1] = rgb[s + 1]; bgr[s + 2] = rgb[s];
            bgra[d] = rgb[s + 2]; bgra[d + 1] = rgb[s + 1]; bgra[d + 2] = rgb[s]; bgra[d + 3] = (byte)p;
        }
        var fromBgr = new float[10];
        model.PredictImage(bgr, 32, 24, 96, PixelFormat.Bgr24, fromBgr);
        Assert.Equal(actual, fromBgr);
        var fromBgra = new float[10];
        model.PredictImage(bgra, 32, 24, 32 * 4 + 8, PixelFormat.Bgra32, fromBgra);
        Assert.Equal(actual, fromBgra);

        // A grey photo of another size and shape into the RGB model.
        var grey = new byte[50 * 90];
        random.NextBytes(grey);
        var probabilities = new float[10];
        model.PredictImage(grey, 90, 50, 90, PixelFormat.Gray8, probabilities);
        Assert.Equal(1.0, probabilities.Sum(p => (double)p), 5);
    }

    [Fact]
    public void Models_without_one_or_three_channels_get_no_image_overloads()
    {
        var input = new InputSpec(28, 28, 2, new[] { 0.5f, 0.5f }, new[] { 0.25f, 0.25f });
        var built = Artifacts.Build(Artifacts.Bundle(input), DefaultSupernets.FashionMnist(Family.CompOfa).Space.Smallest(5));
        var run = GeneratorHarness.Run(built.Json);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileProblems);
        Assert.DoesNotContain("ReadOnlySpan<byte>", run.Source, StringComparison.Ordinal);
        Assert.Contains("private void Forward(", run.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_image_arguments_throw_naming_the_expected_length()
    {
        var built = Artifacts.Small;
        using var model = LoadedModel.Compile(GeneratorHarness.Run(built.Json).Output, "App.FashionClassifier", built.Artifact.WeightsResource, built.WeightBytes);

        var pixels = Assert.Throws<ArgumentException>(() => model.PredictImage(new byte[100], 28, 28, 28, PixelFormat.Gray8, new float[10]));
        Assert.Equal("pixels", pixels.ParamName);
        Assert.StartsWith("pixels has 100 bytes; expected at least 784 (rowStride*(height-1)+width*bytesPerPixel = 28*27+28*1)", pixels.Message, StringComparison.Ordinal);
        var rgba = Assert.Throws<ArgumentException>(() => model.ClassifyImage(new byte[640 * 480 * 4 - 1], 640, 480, 640 * 4, PixelFormat.Rgba32));
        Assert.StartsWith("pixels has 1228799 bytes; expected at least 1228800", rgba.Message, StringComparison.Ordinal);

        var probabilities = Assert.Throws<ArgumentException>(() => model.PredictImage(new byte[784], 28, 28, 28, PixelFormat.Gray8, new float[3]));
        Assert.Equal("probabilities", probabilities.ParamName);
        Assert.StartsWith("probabilities must have 10 floats", probabilities.Message, StringComparison.Ordinal);

        var format = Assert.Throws<ArgumentOutOfRangeException>(() => model.ClassifyImage(new byte[784], 28, 28, 28, (PixelFormat)9));
        Assert.Contains("0 Gray8, 1 Rgb24, 2 Bgr24, 3 Rgba32, 4 Bgra32", format.Message, StringComparison.Ordinal);
        Assert.Equal("rowStride", Assert.Throws<ArgumentOutOfRangeException>(() => model.ClassifyImage(new byte[784 * 3], 28, 28, 28, PixelFormat.Rgb24)).ParamName);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => model.ClassifyImage(new byte[784], 0, 28, 28, PixelFormat.Gray8)).ParamName);
    }
}
