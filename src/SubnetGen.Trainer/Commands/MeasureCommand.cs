using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Commands;

/// <summary>
/// <c>subnetgen-train measure</c>: seconds per SGD step (forward + backward + update) for smallest, middle and
/// largest subnet, to size a schedule — in both feature-map layouts, side by side, so the faster one is a
/// measurement on this machine rather than a belief.
/// </summary>
internal static class MeasureCommand
{
    public static Command Create()
    {
        var family = new Option<string>("--family") { DefaultValueFactory = _ => "compofa" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "auto" };
        var command = new Command("measure", "Time training steps of the smallest, middle, largest and full subnet (random images), channels-last vs contiguous.") { family, batch, steps, threads, device };
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
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds per SGD step, batch {n}, {count} steps after one warm-up step"));
            Console.WriteLine($"{"subnet",-9} {"contiguous",10} {"ch-last",10} {"ratio",6}  config");
            foreach (var (name, config) in new[] { ("smallest", spec.Space.Smallest(5)), ("middle", Schedule.Middle(spec)), ("largest", spec.Space.Largest(5)), ("full", model.Full) })
            {
                model.SetActive(config);
                model.train();
                double contiguous = SecondsPerStep(model, sgd, images, labels, count, MemoryFormat.Contiguous);
                double channelsLast = SecondsPerStep(model, sgd, images, labels, count, MemoryFormat.ChannelsLast);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-9} {contiguous,10:F3} {channelsLast,10:F3} {channelsLast / contiguous,6:F2}  {config}"));
            }
            Console.WriteLine("ratio = channels-last / contiguous (below 1: channels-last is faster; `run --memory-format` picks the layout)");
            // Speed is moot where the layout computes something else (LayoutCheck): say so beside the timings.
            var check = LayoutCheck.Compare(spec, dev, images, labels, LayoutCheck.Configs(spec));
            Console.WriteLine(check.Agrees
                ? "Both layouts compute the same step here: " + check.Describe() + "."
                : "Channels-last computes a different step on this machine, and `run --memory-format channels-last` refuses here: " + check.Describe() + ".");
            return 0;
        }));
        return command;
    }

    private static double SecondsPerStep(ElasticSupernet model, Sgd sgd, Tensor images, Tensor labels, int count, MemoryFormat format)
    {
        model.MemoryFormat = format;
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
        return seconds / count;
    }
}
