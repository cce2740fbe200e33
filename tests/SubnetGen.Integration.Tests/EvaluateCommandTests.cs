using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using SubnetGen.Cli.Commands;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.Pipeline;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// `subnetgen evaluate` on the random test supernet, fast: a few images, small subnets. The numbers the
/// generated model produces are held to TorchSharp by the trainer's GeneratedModelOracleTests; here the
/// command itself — config names, data folders, the table, the markdown, the errors.
/// </summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private static readonly string[] Labels = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-evaluate-" + Guid.NewGuid().ToString("N"));
    private readonly string _bundle;
    private readonly SupernetBundle _loaded;

    public EvaluateCommandTests()
    {
        _bundle = Path.Combine(_folder, "bundle");
        RandomSupernet.Create(DefaultSupernets.FashionMnist(Family.CompOfa), "SubnetGen.Supernet.Test.CompOFA", "0.1.0", 42, Labels).Save(_bundle);
        _loaded = SupernetBundle.Load(_bundle);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Accuracy_counts_the_generated_models_predictions_against_the_labels()
    {
        // Random images labelled with what the smallest subnet's generated model predicts: 100 %; labels
        // shifted by one class: 0 %. Gzipped and plain IDX files both load.
        var random = new Random(3);
        var pixels = new byte[6 * 28 * 28];
        random.NextBytes(pixels);
        var predicted = new byte[6];
        using (var model = GeneratedModelCompiler.Compile(_loaded, _loaded.Spec.Space.Smallest(5)))
        {
            var probabilities = new float[10];
            for (int i = 0; i < 6; i++)
            {
                model.Predict(pixels.AsSpan(i * 784, 784).ToArray().Select(b => b / 255f).ToArray(), probabilities);
                predicted[i] = (byte)GeneratedModel.ArgMax(probabilities);
                Assert.Equal(1f, probabilities.Sum(), 4);
            }
        }
        string right = WriteIdx("right", pixels, predicted, gzip: true);
        string wrong = WriteIdx("wrong", pixels, predicted.Select(p => (byte)((p + 1) % 10)).ToArray(), gzip: false);

        var (code, output, log) = Run(new EvaluateCommand.Request(_bundle, new[] { "smallest" }, right, null, null));
        Assert.True(code == 0, log);
        Assert.Contains("100.00 %", output, StringComparison.Ordinal);
        Assert.Contains("on 6 " + right + " test images", output, StringComparison.Ordinal);

        (code, output, log) = Run(new EvaluateCommand.Request(_bundle, new[] { "SMALLEST" }, wrong, 4, null));
        Assert.True(code == 0, log);
        Assert.Contains("0.00 %", output, StringComparison.Ordinal);
        Assert.Contains("on 4 ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_with_calibration_images_is_evaluated_with_recalibrated_statistics()
    {
        var spec = _loaded.Spec;
        var random = new Random(8);
        var pixels = new byte[24 * 28 * 28];
        random.NextBytes(pixels);
        string bundle = Path.Combine(_folder, "calibrated");
        RandomSupernet.Create(spec, "SubnetGen.Supernet.Test.CompOFA", "0.1.0", 42, Labels, new CalibrationSet(28, 28, 1, pixels, new int[24])).Save(bundle);
        var (code, output, log) = Run(new EvaluateCommand.Request(bundle, new[] { "smallest" }, EvaluateCommand.FashionMnist, 5, null));
        Assert.True(code == 0, log);
        Assert.Contains("BN statistics: recalibrated by Core on 24 calibration images, as a build does.", output.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_supernet_package_evaluates_like_its_bundle_folder()
    {
        var package = SubnetGen.Packaging.SupernetPackageWriter.Write(_bundle, Path.Combine(_folder, "feed"));
        var fromFolder = Run(new EvaluateCommand.Request(_bundle, new[] { "smallest" }, EvaluateCommand.FashionMnist, 10, null));
        var fromPackage = Run(new EvaluateCommand.Request(package.PackagePath, new[] { "smallest" }, EvaluateCommand.FashionMnist, 10, null));
        Assert.True(fromPackage.Code == 0, fromPackage.Log);
        // Same table but for the images/s column, which is a timing.
        static string Accuracy(string table) => string.Join("\n", table.Split('\n').Select(l => l.Contains("img/s", StringComparison.Ordinal) || l.Contains('%') ? l.Substring(0, l.LastIndexOf('%') + 1) : l));
        Assert.Equal(Accuracy(fromFolder.Output), Accuracy(fromPackage.Output));

        string notSupernet = Path.Combine(_folder, "other.nupkg");
        using (var zip = ZipFile.Open(notSupernet, ZipArchiveMode.Create)) zip.CreateEntry("lib/readme.txt");
        var e = Assert.Throws<SubnetGenException>(() => Run(new EvaluateCommand.Request(notSupernet, Array.Empty<string>(), EvaluateCommand.FashionMnist, 1, null)));
        Assert.Equal(DiagnosticCodes.FormatFileMissing, e.Diagnostic.Code);
        Assert.Contains("has no supernet/ folder", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_on_Fashion_MNIST_prints_the_table_and_writes_markdown()
    {
        string markdown = Path.Combine(_folder, "report", "evaluate.md");
        var custom = _loaded.Spec.Space.Enumerate(5).First();
        var (code, output, log) = Run(new EvaluateCommand.Request(_bundle, new[] { "smallest", custom.ToString(), "smallest" }, EvaluateCommand.FashionMnist, 20, markdown));
        Assert.True(code == 0, log);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("SubnetGen.Supernet.Test.CompOFA 0.1.0 (untrained): generated C# model (BN folded) on 20 Fashion-MNIST test images, batch 1, 1 thread. "
            + "BN statistics: the supernet's stored running statistics (no calibration images).", lines[0]);
        Assert.StartsWith("subnet", lines[1], StringComparison.Ordinal);
        // The duplicate is dropped; a custom config that is the smallest keeps that name.
        string smallest = _loaded.Spec.Space.Smallest(5).ToString();
        Assert.Equal(custom.ToString() == smallest ? 3 : 4, lines.Length);
        Assert.StartsWith("smallest", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(smallest, lines[2], StringComparison.Ordinal);
        var cost = CostModel.Measure(GraphBuilder.Build(_loaded.Spec, _loaded.Spec.Space.Smallest(5)));
        string macs = SizeText.Macs(cost.Macs), peak = SizeText.Kilobytes(cost.PeakMemoryBytes);
        Assert.Contains(macs, lines[2], StringComparison.Ordinal);
        Assert.Contains(peak, lines[2], StringComparison.Ordinal);

        string md = File.ReadAllText(markdown);
        Assert.Contains("| subnet | architecture | MACs | peak memory | weights | test accuracy (C#) | trainer (test, TorchSharp) | images/s |", md, StringComparison.Ordinal);
        Assert.Contains("| smallest | `" + smallest.Replace("|", "\\|") + "` | " + macs + " | " + peak + " |", md, StringComparison.Ordinal);
        Assert.Contains("| n/a |", md, StringComparison.Ordinal);
        Assert.Contains("markdown table → " + markdown, log, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_configs_are_the_trainers_reference_subnets()
    {
        var configs = EvaluateCommand.ResolveConfigs(_loaded.Spec, Array.Empty<string>());
        Assert.Equal(new[] { "smallest", "middle", "largest" }, configs.Select(c => c.Name));
        Assert.Equal(_loaded.Spec.Space.Smallest(5), configs[0].Config);
        Assert.Equal(_loaded.Spec.Space.Middle(5), configs[1].Config);
        Assert.Equal(_loaded.Spec.Space.Largest(5), configs[2].Config);
        Assert.Equal("k3e4,k3e4,k3e4|k5e4,k5e4,k5e4|k3e4,k3e4,k3e4|k3e4,k3e4,k3e4|k5e4,k5e4,k5e4", configs[1].Config.ToString());
    }

    [Theory]
    [InlineData("k3e3", "it has 1 stage, the supernet 5")]
    [InlineData("k3e3,k3e3|k5e3,k5e3|k3e3,k3e3|k3e3,k3e3|k5e4,k5e3", "stage 5 has depth 2, which couples to expand ratio 3, not 4")]
    [InlineData("k3e3,k3e3|k7e3,k7e3|k3e3,k3e3|k3e3,k3e3|k5e3,k5e3", "stage 2 uses kernel 7; allowed: 5")]
    [InlineData("tiny", "is neither smallest, middle, largest nor an architecture")]
    public void Configs_outside_the_design_space_are_SNG4040_before_anything_runs(string config, string reason)
    {
        var e = Assert.Throws<SubnetGenException>(() => EvaluateCommand.ResolveConfigs(_loaded.Spec, new[] { "smallest", config }));
        Assert.Equal(DiagnosticCodes.ExtractConfigInvalid, e.Diagnostic.Code);
        Assert.Contains(reason, e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_inputs_exit_1_with_an_error_that_says_what_to_do()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "subnetgen.dll");
        ProcessResult Evaluate(params string[] arguments) =>
            ProcessRunner.Run("dotnet", new[] { dll, "evaluate" }.Concat(arguments), _folder, timeout: TimeSpan.FromMinutes(2));

        var missingData = Evaluate("--bundle", _bundle, "--data", Path.Combine(_folder, "nowhere"));
        Assert.Equal(1, missingData.ExitCode);
        Assert.Contains("error: " + Path.Combine(_folder, "nowhere", "t10k-images-idx3-ubyte") + "[.gz] not found. Pass --data with a folder holding", missingData.Output, StringComparison.Ordinal);

        var badConfig = Evaluate("--bundle", _bundle, "--config", "k3e3");
        Assert.Equal(1, badConfig.ExitCode);
        Assert.Contains("error SNG4040: --config \"k3e3\" is not in the supernet's compofa design space", badConfig.Output, StringComparison.Ordinal);

        var noBundle = Evaluate("--bundle", Path.Combine(_folder, "no-bundle"));
        Assert.Equal(1, noBundle.ExitCode);
        Assert.Contains("error SNG4001", noBundle.Output, StringComparison.Ordinal);

        var zero = Evaluate("--bundle", _bundle, "--limit", "0");
        Assert.Equal(1, zero.ExitCode);
        Assert.Contains("error: --limit must be at least 1, not 0.", zero.Output, StringComparison.Ordinal);

        string small = WriteIdx("small-images", new byte[2 * 14 * 14], new byte[2], gzip: false, size: 14);
        var wrongSize = Evaluate("--bundle", _bundle, "--data", small);
        Assert.Equal(1, wrongSize.ExitCode);
        Assert.Contains("error: The supernet takes 28×28×1 images; the test images in " + small + " are 14×14×1.", wrongSize.Output, StringComparison.Ordinal);

        string truncated = WriteIdx("truncated", new byte[3 * 784], new byte[3], gzip: true);
        File.WriteAllBytes(Path.Combine(truncated, "t10k-labels-idx1-ubyte.gz"), Gzip(Idx(new[] { 5 }, new byte[3])));
        var shortLabels = Evaluate("--bundle", _bundle, "--data", truncated);
        Assert.Equal(1, shortLabels.ExitCode);
        Assert.Contains("t10k-labels-idx1-ubyte.gz is truncated.", shortLabels.Output, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Log) Run(EvaluateCommand.Request request)
    {
        var output = new StringWriter();
        var log = new StringWriter();
        int code = EvaluateCommand.Run(request, output, log);
        return (code, output.ToString(), log.ToString());
    }

    private string WriteIdx(string name, byte[] images, byte[] labels, bool gzip, int size = 28)
    {
        string folder = Path.Combine(_folder, name);
        Directory.CreateDirectory(folder);
        byte[] imageFile = Idx(new[] { labels.Length, size, size }, images), labelFile = Idx(new[] { labels.Length }, labels);
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte" + (gzip ? ".gz" : "")), gzip ? Gzip(imageFile) : imageFile);
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte" + (gzip ? ".gz" : "")), gzip ? Gzip(labelFile) : labelFile);
        return folder;
    }

    private static byte[] Idx(int[] shape, byte[] data)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest)) gzip.Write(data);
        return memory.ToArray();
    }
}
