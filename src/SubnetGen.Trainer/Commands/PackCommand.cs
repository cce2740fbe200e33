using System;
using System.CommandLine;
using System.IO;
using SubnetGen.Packaging;

namespace SubnetGen.Trainer.Commands;

/// <summary><c>subnetgen-train pack &lt;bundle&gt; -o feed</c>: the CLI's packer (one implementation, linked from SubnetGen.Cli).</summary>
internal static class PackCommand
{
    public static Command Create()
    {
        var bundle = new Argument<DirectoryInfo>("bundle") { Description = "Bundle folder written by `run` (<out>/bundle)." };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Feed folder for the .nupkg.", DefaultValueFactory = _ => new DirectoryInfo("feed") };
        var command = new Command("pack", "Pack a bundle into a SubnetGen.Supernet.<Dataset>.<Family> content package.") { bundle, output };
        command.SetAction(parse => Cli.Run(() =>
        {
            var info = SupernetPackageWriter.Write(parse.GetValue(bundle)!.FullName, parse.GetValue(output)!.FullName);
            Console.WriteLine($"{info.Id} {info.Version} → {info.PackagePath}");
            Console.WriteLine(info.ConstraintsHint());
            return 0;
        }));
        return command;
    }
}
