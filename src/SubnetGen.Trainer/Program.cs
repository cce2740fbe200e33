using System.CommandLine;
using SubnetGen.Trainer.Commands;

namespace SubnetGen.Trainer;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("subnetgen-train: train OFA / CompOFA / MOOFA supernets with TorchSharp, export the bundle and pack it.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PackCommand.Create());
        root.Subcommands.Add(MeasureCommand.Create());
        root.Subcommands.Add(RecalibrateCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(PredictorCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(PromiseCommand.Create());
        return root.Parse(args).Invoke();
    }
}
