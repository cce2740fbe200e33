using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Commands;

/// <summary><c>subnetgen-train measure</c>: seconds per SGD step (forward + backward + update) for smallest, middle and largest subnet, to size a schedule.</summary>
internal static class MeasureCommand
{
    public static Command Create()
    {
        var family = new Option<string>("--family") { DefaultValueFactory = _ => "compofa" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "auto" };
        var command = new Command("measure", "Time training steps of the smallest, middle, largest and full subnet (random images).") { family, batch, steps, threads, device };
        command.SetAction(parse => Cli.Run(() =>
        {
            var dev = TorchDevice.Select(parse.GetValue(device)!, parse.GetValue(threads));
            var spec = DefaultSupernets.FashionMnist(RunCommand.ParseFamily(parse.GetValue(family)!));
            var model = new ElasticSupernet(spec, dev, 1);
            var sgd = new Sgd(model.named_parameters());
            int n = parse.GetValue(batch);
            var images = rand(n, spec.Input.Channels, spec.Input.Height, spec.Input.Width).to(dev);
            var labels = randint(0, spec.ClassCount, n).to(dev);
            int count = parse.GetValue(steps);
            foreach (var (name, config) in new[] { ("smallest", spec.Space.Smallest(5)), ("middle", Schedule.Middle(spec)), ("largest", spec.Space.Largest(5)), ("full", model.Full) })
            {
                model.SetActive(config);
                model.train();
                double seconds = 0;
                for (int i = 0; i <= count; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using var scope = NewDisposeScope();
                    sgd.ZeroGrad();
                    Distillation.Loss(model.forward(images), labels, null).backward();
                    sgd.Step(0.01);
                    if (i > 0) seconds += clock.Elapsed.TotalSeconds; // first step warms up
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-9} {config}  {seconds / count:F3} s/step (batch {n})"));
            }
            return 0;
        }));
        return command;
    }
}
