using System;
using System.CommandLine;
using SubnetGen.Cli.Commands;

namespace SubnetGen.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("subnetgen: make, pack and inspect SubnetGen supernets; run the search a build would run.");
        root.Subcommands.Add(MakeTestSupernetCommand.Create());
        root.Subcommands.Add(PackCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        return root.Parse(args).Invoke();
    }
}
