using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NuGet.Versioning;
using SubnetGen.Cli.Benchmarking;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Datasets;
using SubnetGen.Core.Search;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen promise --bundle &lt;folder&gt; --images &lt;folder&gt; [--version v]</c>: adds <c>promise.json</c> to a
/// bundle from its held-out images (written by <c>subnetgen-train promise --export-images</c>), measured with the
/// generated C# models a build ships — every config of a table supernet, the search's picks of a fitted one
/// (<see cref="PromiseMeasurement"/>). The same file the trainer's <c>promise</c> writes, without TorchSharp and several
/// times faster on a CPU.
/// </summary>
internal static class PromiseCommand
{
    internal sealed record Request(string Bundle, string Images, string? Version, int Threads = 1);

    public static Command Create()
    {
        var bundle = new Option<DirectoryInfo>("--bundle", "-b") { HelpName = "folder", Description = "Supernet bundle folder, rewritten in place with promise.json added.", Required = true };
        var images = new Option<DirectoryInfo>("--images") { HelpName = "folder", Description = "The bundle's held-out images and held-out.json, from `subnetgen-train promise --export-images`.", Required = true };
        var version = new Option<string?>("--version") { HelpName = "version", Description = "The bundle's new package version (NuGet caches packages by id and version, so a changed bundle needs one)." };
        var threads = new Option<int>("--threads") { HelpName = "n", Description = "Configs measured at once, each on its own thread [the machine's cores]; the file is the same for any number.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("promise", "Measure a bundle's generated models on its held-out images and add promise.json, what builds promise.")
            { bundle, images, version, threads };
        command.SetAction(parse => CommandErrors.Run(() =>
            Run(new Request(parse.GetValue(bundle)!.FullName, parse.GetValue(images)!.FullName, parse.GetValue(version), parse.GetValue(threads)), Console.Out, Console.Error)));
        return command;
    }

    internal static int Run(Request request, TextWriter output, TextWriter log)
    {
        if (request.Version is not null && !NuGetVersion.TryParse(request.Version, out _))
        {
            log.WriteLine($"error: --version {request.Version} is not a NuGet version (e.g. 1.3.0).");
            return 1;
        }
        if (request.Threads < 1)
        {
            log.WriteLine($"error: --threads {request.Threads}: give 1 or more (configs measured at once).");
            return 1;
        }
        if (!Directory.Exists(request.Bundle))
        {
            log.WriteLine($"error: --bundle {request.Bundle} is not a folder. promise.json is added to a bundle folder; unpack a package's supernet/ folder first.");
            return 1;
        }
        var bundle = SupernetBundle.Load(request.Bundle);
        var heldOut = HeldOutImages.Read(request.Images);
        heldOut.RequireFor(bundle.Manifest, request.Images);
        var (testImages, _) = TestSetOption.Open(request.Images, bundle.Manifest, null);
        if (testImages.Count != heldOut.Images)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{Path.Combine(request.Images, HeldOutImages.FileName)} says {heldOut.Images} images; the folder holds {testImages.Count}. Write the images again with `subnetgen-train promise --export-images`."));

        var family = new BenchFamily(bundle);
        var accuracies = new TestAccuracies(testImages);
        var clock = Stopwatch.StartNew();
        // The configs are measured on all cores as soon as the plan is known; the counts are then read in order.
        var promise = PromiseMeasurement.Measure(bundle, heldOut.Images, heldOut.Split, config => accuracies.Of(family, config).Result.Correct,
            $"generated, compiled and run ({request.Threads} at once)", log.WriteLine, (done, total, config, _, right) =>
            {
                if (done % 10 == 0 || done == total)
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{done}/{total}] {config}: {100.0 * right / heldOut.Images:F2} % held out"));
            }, planned: order => accuracies.Measure(family, order, request.Threads, log));
        var saved = bundle.WithPromise(promise);
        (request.Version is null ? saved : saved.WithVersion(request.Version)).Save(request.Bundle);
        string what = promise.Correction is { } c ? $"the correction from {c.Subnets} picks" : $"{promise.Correct.Count} configs";
        string version = request.Version is null
            ? $"the bundle keeps version {bundle.Manifest.Version}: pass --version before packing it (NuGet caches packages by id and version)."
            : $"version {bundle.Manifest.Version} → {request.Version}.";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {Path.Combine(request.Bundle, PromiseFile.FileName)}: {what} on {promise.Images} held-out images in {clock.Elapsed.TotalSeconds:F0} s; {version}"));
        return 0;
    }
}
