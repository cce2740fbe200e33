using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SubnetGen.TestSupport;
using Xunit.Abstractions;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// docs/own-images.md, run: an image folder (real Fashion-MNIST images written as PNG at mixed sizes, in colour,
/// 4 classes) → <c>subnetgen-train run --quick --pack</c> into the test feed → a fresh app whose constraints.json names
/// the new supernet → <c>dotnet build</c> → the generated class, with the folder's geometry and class names, classifies
/// held-out PNGs (decoded with StbImageSharp, passed as RGBA bytes) at 70 % or better.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class OwnImagesWalkthroughTests
{
    private static readonly int[] Classes = { 0, 1, 7, 8 }; // T-shirt, trouser, sneaker, bag
    private readonly PackedFeedFixture _feed;
    private readonly ITestOutputHelper _output;

    public OwnImagesWalkthroughTests(PackedFeedFixture feed, ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
    }

    [Fact]
    public void ImageFolder_To_TrainedSupernet_To_App_ClassifiesHeldOutPngs()
    {
        string root = Path.Combine(_feed.Root, "own-images");
        string photos = Path.Combine(root, "clothes"), heldOut = Path.Combine(root, "held-out"), run = Path.Combine(root, "run");
        FashionMnistPngFolder.Write(photos, Classes, perClass: 100, minSide: 32, maxSide: 48, colour: true, seed: 11);
        FashionMnistPngFolder.Write(heldOut, Classes, perClass: 25, minSide: 32, maxSide: 48, colour: true, seed: 12, split: "t10k");

        // A version of this run's own: the feed and the package cache must never mix two trainings under one version.
        string version = "1.0.0-it" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var train = ProcessRunner.Run("dotnet", new[] { Trainer(), "run", "--data", photos, "--family", "compofa", "--quick", "--batch-size", "32",
            "--out", run, "--version", version, "--pack", _feed.Feed }, root, _feed.Environment, TimeSpan.FromMinutes(20));
        _output.WriteLine(Tail(train.Output));
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("4 classes: bag 100, sneaker 100, trouser 100, tshirt 100", train.Output);
        string id = Regex.Match(train.Output, @"Packed (SubnetGen\.Supernet\.\S+) ").Groups[1].Value;
        Assert.Equal("SubnetGen.Supernet.Clothes.CompOFA", id);

        var app = new ConsumerProject(_feed, "own-images-app", $$"""
            {
              "models": [
                {
                  "name": "ClothesClassifier",
                  "supernet": { "id": "{{id}}", "version": "{{version}}" },
                  "targets": { "default": { "maxWeightsKB": 4096 } }
                }
              ]
            }
            """);
        app.UseProgram(ProgramSource, ("StbImageSharp", "2.30.16"));
        var build = app.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        var result = app.Run(heldOut);
        _output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.ToString());

        // The class has the folder's geometry and class names: 32–48 px colour images train at their median size, with
        // elastic resolution below it, and the generated input is the resolution the search picked.
        var trained = Regex.Match(train.Output, @"Input (\d+)×\1×3, .*resolutions ([\d/]+)\.");
        Assert.True(trained.Success, "the trainer did not report its input and resolutions:\n" + Tail(train.Output));
        var resolutions = trained.Groups[2].Value.Split('/').Select(int.Parse).ToArray();
        Assert.Equal(3, resolutions.Length);
        Assert.Equal(int.Parse(trained.Groups[1].Value), resolutions[^1]);
        var input = Regex.Match(result.Output, @"input (\d+)x(\d+)x3");
        Assert.True(input.Success && input.Groups[1].Value == input.Groups[2].Value, result.ToString());
        Assert.Contains(int.Parse(input.Groups[1].Value), resolutions);
        Assert.Contains("labels bag,sneaker,trouser,tshirt", result.Output);
        var score = Regex.Match(result.Output, @"(\d+) of (\d+) right");
        Assert.True(score.Success, result.ToString());
        int right = int.Parse(score.Groups[1].Value), total = int.Parse(score.Groups[2].Value);
        Assert.Equal(100, total);
        Assert.True(right >= 70, $"the generated model classified {right} of {total} held-out PNGs; at least 70 expected\n{result}");

        // docs/training.md's measurement on the same folder: `subnetgen evaluate` reads the class folders by the supernet's
        // labels and runs the largest subnet at each trained resolution, preprocessed as the app does, with the shipped
        // per-config BN statistics.
        string cli = Path.Combine(AppContext.BaseDirectory, "subnetgen.dll");
        var evaluate = ProcessRunner.Run("dotnet", new[] { cli, "evaluate", "--bundle", Path.Combine(run, "bundle"), "--data", heldOut,
            "--config", "largest", "--each-resolution" }, root, _feed.Environment, TimeSpan.FromMinutes(5));
        _output.WriteLine(evaluate.Output);
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        Assert.Contains("on 100 " + heldOut + " test images", evaluate.Output, StringComparison.Ordinal);
        foreach (int r in resolutions)
        {
            var row = Regex.Match(evaluate.Output, $@"^largest@{r} .*?(\d+\.\d\d) %", RegexOptions.Multiline);
            Assert.True(row.Success, $"no row for the largest subnet at {r} px:\n{evaluate.Output}");
            // Each resolution folds its own BN statistics (bnstats.safetensors keys them by resolution).
            Assert.True(double.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 70,
                $"the largest subnet at {r} px scored {row.Groups[1].Value} %; at least 70 expected\n{evaluate}");
        }

        string foreign = Path.Combine(root, "foreign");
        FashionMnistPngFolder.Write(foreign, new[] { 3 }, perClass: 2, minSide: 32, maxSide: 32, colour: true, seed: 13, split: "t10k");
        var wrongClasses = ProcessRunner.Run("dotnet", new[] { cli, "evaluate", "--bundle", Path.Combine(run, "bundle"), "--data", foreign },
            root, _feed.Environment, TimeSpan.FromMinutes(2));
        Assert.Equal(1, wrongClasses.ExitCode);
        Assert.Contains("\"dress\" is not one of the supernet's classes (bag, sneaker, trouser, tshirt)", wrongClasses.Output, StringComparison.Ordinal);
    }

    /// <summary>The app of docs/own-images.md: every PNG under a folder of class folders, classified from its bytes.</summary>
    private const string ProgramSource = """
        using System;
        using System.IO;
        using StbImageSharp;
        using SubnetGen.Runtime;

        var classifier = new SampleApp.ClothesClassifier();
        int right = 0, total = 0;
        foreach (var folder in Directory.GetDirectories(args[0]))
        {
            foreach (var file in Directory.GetFiles(folder, "*.png"))
            {
                var image = ImageResult.FromMemory(File.ReadAllBytes(file), ColorComponents.RedGreenBlueAlpha);
                var label = classifier.Classify(image.Data, image.Width, image.Height, image.Width * 4, PixelFormat.Rgba32);
                if (SampleApp.ClothesClassifier.Labels[(int)label] == Path.GetFileName(folder)) right++;
                total++;
            }
        }
        Console.WriteLine($"{right} of {total} right");
        Console.WriteLine($"input {SampleApp.ClothesClassifier.InputHeight}x{SampleApp.ClothesClassifier.InputWidth}x{SampleApp.ClothesClassifier.InputChannels}");
        Console.WriteLine("labels " + string.Join(",", SampleApp.ClothesClassifier.Labels));
        """;

    /// <summary>The trainer the solution build left beside its sources (build/test.sh builds the whole solution before testing).</summary>
    private string Trainer()
    {
        string dll = Path.Combine(_feed.RepositoryRoot, "src", "SubnetGen.Trainer", "bin", "Release", "net10.0", "subnetgen-train.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution in Release first (build/test.sh does).");
        return dll;
    }

    private static string Tail(string text) => string.Join("\n", text.Split('\n').Where(l => !l.Contains(" step ", StringComparison.Ordinal)).TakeLast(25));
}
