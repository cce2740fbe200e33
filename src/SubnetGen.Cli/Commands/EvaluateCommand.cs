using SubnetGen.Packaging;
using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Spectre.Console;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen evaluate --bundle dir [--config smallest|middle|largest|arch …] [--data fashion-mnist|folder] [--limit N] [--markdown file]</c>:
/// for each config, extract it from the bundle as a build does, generate and compile the C# model in
/// process, and run it on the test images — accuracy and speed of the code an app would ship.
/// </summary>
internal static class EvaluateCommand
{
    public const string FashionMnist = TestSetOption.FashionMnist;

    /// <summary>What to evaluate (the parsed command line).</summary>
    internal sealed record Request(string Bundle, IReadOnlyList<string> Configs, string Data, int? Limit, string? Markdown, bool EachResolution = false);

    public static Command Create()
    {
        var bundle = new Option<FileSystemInfo>("--bundle", "-b") { HelpName = "folder|package.nupkg", Description = "Supernet bundle folder (supernet.json, weights.safetensors, predictor.json, calibration.bin) or a supernet .nupkg.", Required = true };
        var configs = new Option<string[]>("--config") { HelpName = "smallest|middle|largest|architecture", Description = "smallest, middle, largest or an architecture such as \"k3e3,k3e3|k5e4,k5e4,k5e4|…\"; repeat for several. Default: smallest, middle and largest." };
        var data = new Option<string>("--data") { HelpName = "fashion-mnist|folder", Description = TestSetOption.Description, DefaultValueFactory = _ => FashionMnist };
        var eachResolution = new Option<bool>("--each-resolution") { Description = "Supernets with elastic resolution: every config at each of the supernet's resolutions." };
        var limit = new Option<int?>("--limit") { HelpName = "N", Description = "Only the first N test images." };
        var markdown = new Option<FileInfo?>("--markdown") { HelpName = "file", Description = "Also write the table as markdown to this file (for a training report)." };
        var command = new Command("evaluate", "Measure the generated C# model of subnets on test images: MACs, peak memory, accuracy, images/s.")
            { bundle, configs, data, limit, markdown, eachResolution };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            var request = new Request(parse.GetValue(bundle)!.FullName, parse.GetValue(configs) ?? Array.Empty<string>(),
                parse.GetValue(data)!, parse.GetValue(limit), parse.GetValue(markdown)?.FullName, parse.GetValue(eachResolution));
            return Run(request, Console.Out, Console.Error, Interactive);
        }));
        return command;
    }

    private static bool Interactive =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive &&
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Runs the command: the table goes to <paramref name="output"/>, progress to <paramref name="log"/> (or a progress bar when interactive).</summary>
    internal static int Run(Request request, TextWriter output, TextWriter log, bool interactive = false)
    {
        if (request.Limit is <= 0)
        {
            log.WriteLine($"error: --limit must be at least 1, not {request.Limit}.");
            return 1;
        }
        return SupernetPackageReader.WithBundleFolder(request.Bundle, folder => RunOnBundle(request with { Bundle = folder }, output, log, interactive));
    }

    /// <summary><see cref="Run"/> once the bundle is a folder.</summary>
    private static int RunOnBundle(Request request, TextWriter output, TextWriter log, bool interactive)
    {
        var loaded = SupernetBundle.Load(request.Bundle);
        var configs = ResolveConfigs(loaded.Spec, request.Configs);
        if (request.EachResolution && loaded.Spec.Space.Resolutions is { } resolutions)
            configs = configs.SelectMany(c => resolutions.Select(r => (Name: c.Name == "custom" ? c.Name : c.Name + "@" + r, Config: c.Config.WithResolution(r))))
                .DistinctBy(c => c.Config).ToList();
        var (testSet, dataset) = TestSetOption.Open(request.Data, loaded.Manifest, request.Limit);

        var rows = interactive
            ? AnsiConsole.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .Start(ctx => Evaluate(loaded, configs, testSet, new SpectreProgress(ctx)))
            : Evaluate(loaded, configs, testSet, new PlainProgress(log));

        if (!AccuracyRun.RuntimeIsOptimized)
            log.WriteLine("warning: SubnetGen.Runtime is a Debug build (JIT optimisation off): images/s are far below the shipped code's. Build with -c Release to measure speed.");
        output.Write(EvaluationReport.Text(loaded.Manifest, dataset, rows));
        if (request.Markdown is string path)
        {
            string? directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            File.WriteAllText(path, EvaluationReport.Markdown(loaded.Manifest, dataset, rows));
            log.WriteLine($"markdown table → {path}");
        }
        return 0;
    }

    /// <summary>
    /// smallest / middle / largest (the trainer's reference subnets) or compact architecture strings,
    /// each checked against the supernet's design space before anything runs; duplicates are dropped.
    /// </summary>
    /// <exception cref="SubnetGenException">SNG4040 for a string that is not an architecture or not in the space.</exception>
    internal static IReadOnlyList<(string Name, SubnetConfig Config)> ResolveConfigs(SupernetSpec spec, IReadOnlyList<string> requested)
    {
        var result = new List<(string, SubnetConfig)>();
        foreach (string text in requested.Count == 0 ? ReferenceSubnets.Names : requested)
        {
            if (!ReferenceSubnets.TryResolve(spec, text, out var config, out string? error)) throw ConfigError("--config " + error);
            if (result.Any(r => r.Item2.Equals(config))) continue;
            result.Add((ReferenceSubnets.NameOf(spec, config!), config!));
        }
        return result;
    }

    private static SubnetGenException ConfigError(string message) => new(new Diagnostic(DiagnosticCodes.ExtractConfigInvalid, message, null, 0, 0,
        "pass smallest, middle, largest or an architecture of the supernet's space (`subnetgen inspect <bundle>` shows the space)."));

    private static IReadOnlyList<EvaluationRow> Evaluate(SupernetBundle bundle, IReadOnlyList<(string Name, SubnetConfig Config)> configs,
        TestImages testSet, IProgress progress)
    {
        var rows = new List<EvaluationRow>();
        foreach (var (name, config) in configs)
        {
            progress.Start(name, config, testSet.Count);
            var clock = Stopwatch.StartNew();
            using var model = GeneratedModelCompiler.Compile(bundle, config);
            progress.Compiled(clock.Elapsed);
            // At the model's input: the config's resolution where the supernet has elastic resolution.
            var input = model.Artifact.Input!;
            var images = Enumerable.Range(0, testSet.Count).Select(i => testSet.Prepare(i, input.Height, input.Width, input.Channels)).ToArray();
            var result = AccuracyRun.Run(model, images, testSet.Labels, progress.Images);
            progress.Done(result);
            rows.Add(new EvaluationRow(name, config, model.Cost, result, EvaluationReport.TrainerAccuracy(bundle.Manifest, config),
                EvaluationReport.BatchNormText(model.Subnet.BatchNorm, bundle.Calibration.Count)));
        }
        return rows;
    }

    private interface IProgress
    {
        void Start(string name, SubnetConfig config, int images);
        void Compiled(TimeSpan elapsed);
        void Images(int done);
        void Done(AccuracyResult result);
    }

    /// <summary>Plain lines (logs, CI, redirected output): two per config.</summary>
    private sealed class PlainProgress(TextWriter log) : IProgress
    {
        private string _name = "";

        public void Start(string name, SubnetConfig config, int images)
        {
            _name = name;
            log.WriteLine($"{name} {config}: extracting, generating and compiling…");
        }

        public void Compiled(TimeSpan elapsed) =>
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_name}: compiled in {elapsed.TotalSeconds:0.0} s; classifying…"));

        public void Images(int done) { }

        public void Done(AccuracyResult result) => log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_name}: {result.Correct:#,0} of {result.Images:#,0} correct ({result.Accuracy * 100:0.00} %) in {result.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>A Spectre.Console bar per config, counting images.</summary>
    private sealed class SpectreProgress(ProgressContext context) : IProgress
    {
        private ProgressTask? _task;
        private string _name = "";

        public void Start(string name, SubnetConfig config, int images)
        {
            _name = name;
            _task = context.AddTask(Markup.Escape(name + ": compiling"), maxValue: images);
            _task.IsIndeterminate = true;
        }

        public void Compiled(TimeSpan elapsed)
        {
            if (_task is null) return;
            _task.IsIndeterminate = false;
            _task.Description = Markup.Escape(_name + ": classifying");
        }

        public void Images(int done)
        {
            if (_task is not null) _task.Value = done;
        }

        public void Done(AccuracyResult result)
        {
            if (_task is null) return;
            _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{_name}: {result.Accuracy * 100:0.00} %"));
            _task.StopTask();
        }
    }
}
