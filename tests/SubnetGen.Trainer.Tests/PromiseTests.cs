using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Datasets;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;
using SubnetGen.TestSupport;
using SubnetGen.Trainer.Commands;
using Xunit.Abstractions;
using static TorchSharp.torch;
using CliPromise = SubnetGen.Cli.Commands.PromiseCommand;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// promise.json two ways on the released CompOFA supernet: the trainer measures its TorchSharp supernet on the held-out
/// validation images, or exports those images for <c>subnetgen promise</c>, which runs the generated C# models. The
/// exported images are exactly the split's, and both ways count the same right answers per config.
/// </summary>
public sealed class PromiseTests : IDisposable
{
    private const int Images = 200;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-promise-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ITestOutputHelper _output;

    public PromiseTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The released CompOFA bundle with its table cut to three configs (smallest, middle, largest), so each way measures three.</summary>
    private string SmallTableBundle(string name)
    {
        string extracted = ReleasedBundle.Extract(ReleasedBundle.CompOfa);
        var bundle = SupernetBundle.Load(extracted);
        var spec = bundle.Spec;
        int stages = spec.Stages.Count;
        var keep = new[] { spec.Space.Smallest(stages), spec.Space.Middle(stages), spec.Space.Largest(stages) }.Select(c => c.ToString()).ToHashSet(StringComparer.Ordinal);
        var table = bundle.Predictor.Entries!.Where(e => keep.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        Assert.Equal(3, table.Count);
        string folder = Path.Combine(_folder, name);
        bundle.WithPredictor(bundle.Predictor with { Entries = table }).WithPromise(null).Save(folder);
        Directory.Delete(extracted, recursive: true);
        return folder;
    }

    [Fact]
    public void ExportedImages_AreTheHeldOutSplit_AndTheGeneratedModelsCountWhatTorchSharpCounts()
    {
        TorchRequirement.Ensure();
        string torchBundle = SmallTableBundle("torch"), csharpBundle = SmallTableBundle("csharp");
        string images = Path.Combine(_folder, "held-out");
        // The released bundle's split: 1,000 calibration and 2,000 predictor images, so the held-out ones start at 3,000
        // (bundles before provenance recorded the validation split's size were trained with 5,000).
        int validation = SupernetBundle.Load(csharpBundle).Manifest.Provenance.ValidationImages ?? 5000;
        var request = new PromiseCommand.Request(csharpBundle, "fashion-mnist", null, Validation: validation, PredictorImages: 2000, Images: Images, ExportImages: images);

        var description = PromiseCommand.Export(request, _output.WriteLine);

        Assert.Equal($"fashion-mnist validation images 3000–3199 (seed 42, --validation {validation})", description.Split);
        Assert.Equal(description, HeldOutImages.Read(images));
        var (pixels, shape) = IdxFile.Read(Path.Combine(images, IdxFile.TestImagesFile), 3);
        var (labels, _) = IdxFile.Read(Path.Combine(images, IdxFile.TestLabelsFile), 1);
        var expected = TestData.FashionMnistSplitsOf(validation).Validation.Subset(Enumerable.Range(3000, Images).ToArray());
        Assert.Equal(new[] { Images, 28, 28 }, shape);
        Assert.Equal(expected.Pixels, pixels);
        Assert.Equal(expected.Labels, labels.Select(l => (int)l));
        Assert.Empty(Directory.GetDirectories(_folder, "held-out.partial-*"));

        var torch = PromiseCommand.Run(request with { Bundle = torchBundle, ExportImages = null }, CPU, _output.WriteLine).Promise;
        var output = new StringWriter();
        var log = new StringWriter();
        Assert.Equal(0, CliPromise.Run(new CliPromise.Request(csharpBundle, images, "1.2.1-test", Threads: 2), output, log));
        _output.WriteLine(log.ToString() + output);
        Assert.Contains("(2 at once)", log.ToString(), StringComparison.Ordinal);
        string oneThread = SmallTableBundle("csharp-one-thread");
        Assert.Equal(0, CliPromise.Run(new CliPromise.Request(oneThread, images, "1.2.1-test", Threads: 1), TextWriter.Null, TextWriter.Null));
        Assert.Equal(File.ReadAllBytes(Path.Combine(oneThread, PromiseFile.FileName)), File.ReadAllBytes(Path.Combine(csharpBundle, PromiseFile.FileName)));

        var saved = SupernetBundle.Load(csharpBundle);
        Assert.Equal("1.2.1-test", saved.Manifest.Version);
        var csharp = saved.Promise!;
        Assert.Equal(Images, csharp.Images);
        Assert.Equal(description.Split, csharp.Split);
        Assert.Equal(torch.Correct.Keys, csharp.Correct.Keys);
        foreach (var (config, count) in torch.Correct)
        {
            _output.WriteLine($"{config}: TorchSharp {count}, generated C# {csharp.Correct[config]} of {Images}");
            // Shipped statistics against per-config recalibration on the same images: equal up to float rounding,
            // which may flip an image whose two best classes tie.
            Assert.InRange(csharp.Correct[config], count - 1, count + 1);
            Assert.True(count >= 0.8 * Images, $"{config}: {count} of {Images}; the released subnets score 90–93 % on validation");
        }
    }

    [Fact]
    public void Images_HeldOutOfAnotherSupernet_OrWithoutTheirDescription_AreRefused_AndTheBundleIsLeftAsItWas()
    {
        string bundle = SmallTableBundle("bundle");
        string images = Path.Combine(_folder, "held-out");
        PromiseCommand.Export(new PromiseCommand.Request(bundle, "fashion-mnist", null, PredictorImages: 2000, Images: 20, ExportImages: images), _ => { });
        byte[] before = File.ReadAllBytes(Path.Combine(bundle, SupernetManifest.FileName));

        var other = HeldOutImages.Read(images) with { Supernet = "SubnetGen.Supernet.Other" };
        other.Write(images);
        var error = Assert.Throws<SubnetGenException>(() => CliPromise.Run(new CliPromise.Request(bundle, images, null), TextWriter.Null, TextWriter.Null));
        Assert.Equal(DiagnosticCodes.HeldOutImagesInvalid, error.Diagnostic.Code);
        Assert.Contains("SubnetGen.Supernet.Other", error.Diagnostic.Message);

        File.Delete(Path.Combine(images, HeldOutImages.FileName));
        error = Assert.Throws<SubnetGenException>(() => CliPromise.Run(new CliPromise.Request(bundle, images, null), TextWriter.Null, TextWriter.Null));
        Assert.Equal(DiagnosticCodes.HeldOutImagesInvalid, error.Diagnostic.Code);
        Assert.Contains("has no held-out.json", error.Diagnostic.Message);

        Assert.False(File.Exists(Path.Combine(bundle, PromiseFile.FileName)));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(bundle, SupernetManifest.FileName)));

        // A second export into the filled folder would mix two sets of images.
        var refused = Assert.Throws<ArgumentException>(() =>
            PromiseCommand.Export(new PromiseCommand.Request(bundle, "fashion-mnist", null, PredictorImages: 2000, Images: 20, ExportImages: images), _ => { }));
        Assert.Contains("already holds files", refused.Message);
    }
}
