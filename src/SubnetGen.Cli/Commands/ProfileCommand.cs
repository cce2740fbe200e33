using SubnetGen.Packaging;
using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using SubnetGen.Cli.Profiling;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen profile --bundle dir|package.nupkg --device name -o table.json [--iterations N] [--samples N]</c>:
/// run on the target device, it times every layer shape of the supernet's subnets with SubnetGen.Runtime and
/// writes the device latency table that constraints.json's <c>latencyTable</c> points at (docs/search.md).
/// </summary>
internal static class ProfileCommand
{
    internal sealed record Request(string Bundle, string Device, string Output, int Iterations, int Samples, bool WholeModels = true);

    public static Command Create()
    {
        var bundle = new Option<FileSystemInfo>("--bundle", "-b") { HelpName = "folder|package.nupkg", Description = "Supernet bundle folder or supernet .nupkg whose layer shapes to measure.", Required = true };
        var device = new Option<string>("--device") { HelpName = "name", Description = "Free-text name of this device, recorded in the table (e.g. \"raspberry-pi-4 (cortex-a72)\").", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { HelpName = "file", Description = "Where to write the table (JSON), e.g. devices/pi4.json.", Required = true };
        var iterations = new Option<int>("--iterations") { HelpName = "N", Description = "Timed calls per layer shape; the table keeps the median.", DefaultValueFactory = _ => 200 };
        var samples = new Option<int>("--samples") { HelpName = "N", Description = $"For spaces of more than {DeviceProfiler.ExhaustiveLimit} subnets (OFA): random subnets whose layers to measure, besides smallest, middle and largest.", DefaultValueFactory = _ => 1000 };
        var noWhole = new Option<bool>("--no-whole-models") { Description = $"Skip timing whole generated models (smallest, middle, largest and {WholeModelTimer.RandomSubnets} random) against their layers' sum; the table then has no whole-model scale." };
        var command = new Command("profile", "Measure this device's latency for every layer shape of a supernet and write a device latency table.")
            { bundle, device, output, iterations, samples, noWhole };
        command.SetAction(parse => CommandErrors.Run(() => Run(
            new Request(parse.GetValue(bundle)!.FullName, parse.GetValue(device)!, parse.GetValue(output)!.FullName, parse.GetValue(iterations), parse.GetValue(samples),
                !parse.GetValue(noWhole)),
            Console.Out, Console.Error)));
        return command;
    }

    internal static int Run(Request request, TextWriter output, TextWriter log)
    {
        if (request.Iterations < 1)
        {
            log.WriteLine($"error: --iterations must be at least 1, not {request.Iterations}.");
            return 1;
        }
        if (request.Samples < 0)
        {
            log.WriteLine($"error: --samples must be 0 or more, not {request.Samples}.");
            return 1;
        }
        if (string.IsNullOrWhiteSpace(request.Device))
        {
            log.WriteLine("error: --device must name the device (free text, e.g. \"raspberry-pi-4 (cortex-a72)\").");
            return 1;
        }

        return SupernetPackageReader.WithBundleFolder(request.Bundle, folder => RunOnBundle(request with { Bundle = folder }, output, log));
    }

    /// <summary><see cref="Run"/> once the bundle is a folder.</summary>
    private static int RunOnBundle(Request request, TextWriter output, TextWriter log)
    {
        var spec = SupernetManifest.Read(Path.Combine(request.Bundle, SupernetManifest.FileName)).Spec;
        var configs = DeviceProfiler.Configs(spec, request.Samples, seed: 42);
        var keys = DeviceProfiler.Keys(spec, configs);
        log.WriteLine($"{keys.Count} layer shapes in {configs.Count} subnets of {FormatNames.Of(spec.Space.Family)}; {request.Iterations} timed calls each, one thread");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int reported = 0;
        var entries = DeviceProfiler.Measure(keys, request.Iterations, (done, total) =>
        {
            if (done * 10 / total > reported) { reported = done * 10 / total; log.WriteLine($"  {done}/{total} measured"); }
        });

        var table = new DeviceLatencyTable(request.Device.Trim(), new LatencyMeasurement(Tool(), RuntimeText(), 1, request.Iterations), entries);
        if (request.WholeModels)
        {
            log.WriteLine("Timing whole generated models against the sum of their layers…");
            var (calibration, _) = WholeModelTimer.Calibrate(SupernetBundle.Load(request.Bundle), WholeModelTimer.Configs(spec, seed: 42), request.Iterations,
                t => log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.Config}: Predict {t.MeasuredMicroseconds / 1000:F3} ms, layers {t.LayerSumMicroseconds / 1000:F3} ms")));
            table = table.WithWholeModel(calibration);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Whole models take {calibration.Scale:F3}× the sum of their layers ({calibration.Subnets} subnets); the table scales every estimate by it."));
        }
        string? directory = Path.GetDirectoryName(request.Output);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        table.Write(request.Output);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{keys.Count} layer shapes measured in {clock.Elapsed.TotalSeconds:F1} s → {request.Output}"));
        var model = new LatencyModel(table);
        foreach (string name in ReferenceSubnets.Names)
        {
            var estimate = model.Estimate(GraphBuilder.Build(spec, ReferenceSubnets.ByName(spec, name)!));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-8} {estimate.Milliseconds:F3} ms per inference ({(table.WholeModel is null ? "sum of its layers" : "sum of its layers × the whole-model scale")})"));
        }
        return 0;
    }

    private static string Tool() => "subnetgen profile " + VersionText(typeof(ProfileCommand).Assembly.GetName().Version);

    private static string RuntimeText() => string.Create(CultureInfo.InvariantCulture,
        $"SubnetGen.Runtime {VersionText(typeof(Kernels).Assembly.GetName().Version)} / .NET {Environment.Version} {RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}, Vector<float> {Vector<float>.Count} floats{(Vector.IsHardwareAccelerated ? "" : " (not accelerated)")}");

    private static string VersionText(Version? version) => version is null ? "?" : $"{version.Major}.{version.Minor}.{version.Build}";
}
