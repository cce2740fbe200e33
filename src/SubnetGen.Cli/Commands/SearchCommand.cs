using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using NuGet.Common;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Search;
using SubnetGen.Tasks;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen search --constraints constraints.json [--target small] [--bundle dir]</c>: what a build
/// would pick for each model, with the summary line the build prints and the Pareto fronts.
/// Without --bundle the supernet package is resolved like the build does, from the constraints' folder.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var constraints = new Option<FileInfo>("--constraints", "-c") { Description = "constraints.json to read.", DefaultValueFactory = _ => new FileInfo("constraints.json") };
        var target = new Option<string>("--target", "-t") { Description = "Target name (as -p:SubnetGenTarget).", DefaultValueFactory = _ => ModelConstraints.DefaultTargetName };
        var bundle = new Option<DirectoryInfo?>("--bundle", "-b") { Description = "Use this bundle folder instead of resolving the supernet package." };
        var model = new Option<string?>("--model", "-m") { Description = "Only this model (default: every model)." };
        var command = new Command("search", "Run the search a build would run and print the pick and the Pareto front.") { constraints, target, bundle, model };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string path = parse.GetValue(constraints)!.FullName;
            var read = ConstraintsReader.Read(File.ReadAllText(path), path);
            foreach (var d in read.Diagnostics) Console.Error.WriteLine(d.ToString());
            if (read.HasErrors || read.Document is null) return 1;

            string? only = parse.GetValue(model);
            var models = read.Document.Models.Where(m => only is null || string.Equals(m.Name, only, StringComparison.Ordinal)).ToList();
            if (models.Count == 0)
            {
                Console.Error.WriteLine($"error: constraints.json has no model \"{only}\"; models: {string.Join(", ", read.Document.Models.Select(m => m.Name))}.");
                return 1;
            }

            foreach (var m in models)
            {
                var targetConstraints = m.Resolve(parse.GetValue(target));
                string folder = parse.GetValue(bundle)?.FullName
                    ?? new SupernetPackageResolver(NullLogger.Instance)
                        .Resolve(Path.GetDirectoryName(path)!, m.Supernet.Id, m.Supernet.Version, path, CancellationToken.None).BundleFolder;
                var loaded = SupernetBundle.Load(folder);
                var latency = targetConstraints.LatencyTablePath is null ? null : new LatencyModel(DeviceLatencyTable.Load(targetConstraints.LatencyTablePath));
                var predictor = loaded.Predictor.CreatePredictor(loaded.Spec);
                var result = SubnetSearch.Run(loaded.Spec, predictor, targetConstraints.Budget, latency, SearchOptions.Default);
                Console.WriteLine(BuildSummary.Line(m.Name, targetConstraints.Name, result, loaded.Manifest, loaded.Predictor, targetConstraints.Budget));
                Console.WriteLine();
                Console.WriteLine(ParetoReport.Render(m, targetConstraints, loaded.Manifest.Id + " " + loaded.Manifest.Version, result));
            }
            return 0;
        }));
        return command;
    }
}
