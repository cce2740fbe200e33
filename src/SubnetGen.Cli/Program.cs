using System;
using System.CommandLine;
using SubnetGen.Cli.Commands;

namespace SubnetGen.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("subnetgen: make, pack and inspect SubnetGen supernets; run the search a build would run; measure generated models; profile a device.");
        root.Subcommands.Add(MakeTestSupernetCommand.Create());
        root.Subcommands.Add(PackCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(PinCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ProfileCommand.Create());
        root.Subcommands.Add(BenchSearchCommand.Create());
        root.Subcommands.Add(BenchPromisesCommand.Create());
        root.Subcommands.Add(PromiseCommand.Create());
        return root.Parse(args).Invoke();
    }
}
