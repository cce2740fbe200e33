using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Pipeline;

namespace SubnetGen.Cli.Commands;

/// <summary><c>subnetgen inspect &lt;bundle folder | Model.subnet.json&gt;</c>: what is inside, in words and tables.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A supernet bundle folder (with supernet.json) or a <Model>.subnet.json artifact." };
        var command = new Command("inspect", "Print a supernet bundle or a subnet artifact.") { path };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string target = Path.GetFullPath(parse.GetValue(path)!);
            if (Directory.Exists(target)) PrintBundle(SupernetBundle.Load(target));
            else if (target.EndsWith(SubnetArtifact.JsonSuffix, StringComparison.Ordinal)) PrintArtifact(SubnetArtifact.Read(target));
            else
            {
                Console.Error.WriteLine($"error: {target} is neither a bundle folder nor a {SubnetArtifact.JsonSuffix} file.");
                return 1;
            }
            return 0;
        }));
        return command;
    }

    private static void PrintBundle(SupernetBundle bundle)
    {
        var m = bundle.Manifest;
        var spec = m.Spec;
        Console.WriteLine($"{m.Id} {m.Version} — {FormatNames.Of(m.Family)}, {(m.Trained ? "trained" : "UNTRAINED (random weights)")}");
        Console.WriteLine($"input      {spec.Input.Height}×{spec.Input.Width}×{spec.Input.Channels}, mean [{Floats(spec.Input.Mean)}], std [{Floats(spec.Input.Std)}]");
        Console.WriteLine($"labels     {string.Join(", ", m.Labels)}");
        Console.WriteLine($"stem       {spec.Stem.OutChannels} ch, k{spec.Stem.Kernel} s{spec.Stem.Stride}; first block {spec.FirstBlock.OutChannels} ch k{spec.FirstBlock.Kernel}");
        Console.WriteLine("stages     width stride activation SE maxDepth");
        for (int s = 0; s < spec.Stages.Count; s++)
        {
            var st = spec.Stages[s];
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0}        {1,5} {2,6} {3,-10} {4,-3} {5}", s + 1, st.Width, st.Stride, FormatNames.Of(st.Activation), st.SqueezeExcite ? "yes" : "no", st.MaxDepth));
        }
        Console.WriteLine($"head       final expand {spec.Head.FinalExpandChannels}, feature mix {spec.Head.FeatureMixChannels}, {spec.ClassCount} classes");
        var space = spec.Space;
        Console.WriteLine($"space      kernels {{{string.Join(",", space.KernelSizes)}}}, expand {{{string.Join(",", space.ExpandRatios)}}}, depths {{{string.Join(",", space.Depths)}}}"
            + (space.FixedKernels is null ? "" : $", fixed kernels [{string.Join(",", space.FixedKernels)}]")
            + $": {space.CountText(spec.Stages.Count)} subnets");
        foreach (var (name, config) in new[] { ("smallest", space.Smallest(spec.Stages.Count)), ("largest", space.Largest(spec.Stages.Count)) })
        {
            var cost = CostModel.Measure(GraphBuilder.Build(spec, config));
            Console.WriteLine($"{name,-10} {SizeText.Macs(cost.Macs)}, {SizeText.Count(cost.Parameters)} parameters, peak {SizeText.Kilobytes(cost.PeakMemoryBytes)}, weights {SizeText.Kilobytes(cost.WeightBytes)}");
        }
        var p = bundle.Predictor;
        string shape = p.Kind == PredictorFile.MlpKind ? (p.Layers.Count == 1 ? " (1 layer: linear)" : $" ({p.Layers.Count - 1} hidden layers)") : "";
        Console.WriteLine($"predictor  {p.Kind}{shape}{(p.Placeholder ? " (placeholder)" : "")}"
            + (p.Validation is { } v ? string.Format(CultureInfo.InvariantCulture, ", validation RMSE {0:0.0000}, Kendall τ {1:0.000} on {2} subnets{3}", v.Rmse, v.KendallTau, v.Subnets,
                v.Folds is int folds ? $" ({folds}-fold cross-validation)" : " (held out)") : ""));
        Console.WriteLine($"calibration {bundle.Calibration.Count} images");
        long floats = bundle.Tensors.Values.Sum(t => (long)t.Data.Length);
        Console.WriteLine($"weights    {bundle.Tensors.Count} tensors, {floats.ToString("#,0", CultureInfo.InvariantCulture)} floats ({SizeText.Kilobytes(floats * 4)})");
        var pr = m.Provenance;
        Console.WriteLine($"provenance {pr.Tool}; dataset {pr.Dataset ?? "–"}; schedule {pr.Schedule ?? "–"}; {pr.Epochs} epochs; seed {pr.Seed?.ToString(CultureInfo.InvariantCulture) ?? "–"}");
        var a = m.Accuracy;
        Console.WriteLine($"accuracy   smallest {SizeText.Percent(a.Smallest)}, middle {SizeText.Percent(a.Middle)}, largest {SizeText.Percent(a.Largest)} ({a.Split})");
    }

    private static void PrintArtifact(SubnetArtifact artifact)
    {
        Console.WriteLine($"{artifact.Name} — target \"{artifact.Target}\", subnet of {artifact.Supernet?.Id} {artifact.Supernet?.Version}{(artifact.Supernet?.Trained == false ? " (untrained)" : "")}");
        Console.WriteLine($"architecture {artifact.Architecture}");
        if (artifact.Metrics is { } x)
            Console.WriteLine($"metrics      predicted accuracy {SizeText.Percent(x.PredictedAccuracy)}, {SizeText.Macs(x.Macs)}, {SizeText.Count(x.Parameters)} parameters, peak {SizeText.Kilobytes(x.PeakMemoryBytes)}, weights {SizeText.Kilobytes(x.WeightBytes)}"
                + (x.LatencyMs is double ms ? ", latency " + SizeText.Milliseconds(ms) : ""));
        Console.WriteLine($"arena        {artifact.ArenaFloats} floats; weights resource {artifact.WeightsResource}, {artifact.WeightFloats} floats");
        Console.WriteLine();
        Console.WriteLine("  # op               name                          in            out           k  s  act");
        for (int i = 0; i < artifact.Layers.Count; i++)
        {
            var l = artifact.Layers[i];
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,3} {1,-16} {2,-29} {3,-13} {4,-13} {5,-2} {6,-2} {7}",
                i, l.Op, l.Name, string.Join("x", l.InShape), string.Join("x", l.OutShape),
                l.Kernel?.ToString(CultureInfo.InvariantCulture) ?? "", l.Stride?.ToString(CultureInfo.InvariantCulture) ?? "", l.Activation ?? ""));
        }
    }

    private static string Floats(System.Collections.Generic.IReadOnlyList<float> values) =>
        string.Join(", ", values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)));
}
