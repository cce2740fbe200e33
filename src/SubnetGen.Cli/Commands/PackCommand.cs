using SubnetGen.Packaging;
using System;
using System.CommandLine;
using System.IO;

namespace SubnetGen.Cli.Commands;

/// <summary><c>subnetgen pack &lt;bundle&gt; -o feed</c>: bundle folder → supernet content package.</summary>
internal static class PackCommand
{
    public static Command Create()
    {
        var bundle = new Argument<DirectoryInfo>("bundle") { Description = "Folder with supernet.json, weights.safetensors, predictor.json, calibration.bin and optionally bnstats.safetensors." };
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Folder (a local NuGet feed) to write the .nupkg into.",
            DefaultValueFactory = _ => new DirectoryInfo("feed"),
        };
        var command = new Command("pack", "Pack a supernet bundle into a SubnetGen.Supernet.<Dataset>.<Family> content package.") { bundle, output };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            var info = SupernetPackageWriter.Write(parse.GetValue(bundle)!.FullName, parse.GetValue(output)!.FullName);
            Console.WriteLine($"{info.Id} {info.Version} ({info.Family}, {(info.Trained ? "trained" : "untrained")}) → {info.PackagePath}");
            Console.WriteLine(info.ConstraintsHint());
            return 0;
        }));
        return command;
    }
}
