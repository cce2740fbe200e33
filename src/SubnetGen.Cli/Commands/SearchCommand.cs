using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using SubnetGen.Core.Constraints;
using SubnetGen.Pipeline;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen search --constraints constraints.json [--target small] [--model M] [--bundle dir] [--output dir]</c>:
/// what a build would pick for each model. It runs the build's own pipeline (<see cref="ModelPipeline"/>): the supernet
/// package resolved like the build does, from the constraints' folder (or --bundle), the search, the extraction, the
/// build's messages and located diagnostics, then the Pareto report; with --output it writes the files the build writes.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var constraints = new Option<FileInfo>("--constraints", "-c") { Description = "constraints.json to read.", DefaultValueFactory = _ => new FileInfo("constraints.json") };
        var target = new Option<string>("--target", "-t") { Description = "Target name (as -p:SubnetGenTarget).", DefaultValueFactory = _ => ModelConstraints.DefaultTargetName };
        var bundle = new Option<DirectoryInfo?>("--bundle", "-b") { Description = "Use this bundle folder instead of resolving the supernet package." };
        var model = new Option<string?>("--model", "-m") { Description = "Only this model (default: every model)." };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "Also write what the build writes into this folder: <Model>.subnet.json, <Model>.weights.bin, <Model>.pareto.md, .pareto.json and .pareto.html." };
        var command = new Command("search", "Run the search a build would run and print the pick and the Pareto front.") { constraints, target, bundle, model, output };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string path = parse.GetValue(constraints)!.FullName;
            string? only = parse.GetValue(model);
            var request = new PipelineRequest(path, Path.GetDirectoryName(path)!)
            {
                TargetName = parse.GetValue(target),
                ModelName = only,
                BundleFolder = parse.GetValue(bundle)?.FullName,
                OutputDirectory = parse.GetValue(output)?.FullName,
            };
            var outcome = new ModelPipeline(new ConsoleLog(), CancellationToken.None).Run(request, done =>
            {
                Console.WriteLine();
                Console.WriteLine(done.ParetoReport);
            });
            if (!outcome.Succeeded) return 1;
            if (outcome.Models.Count == 0)
            {
                Console.Error.WriteLine($"error: constraints.json has no model \"{only}\"; models: {string.Join(", ", outcome.Document!.Models.Select(m => m.Name))}.");
                return 1;
            }
            return 0;
        }));
        return command;
    }
}
