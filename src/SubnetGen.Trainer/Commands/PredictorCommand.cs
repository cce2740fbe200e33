using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using SubnetGen.Core.Bundle;
using NuGet.Versioning;
using SubnetGen.Core.Space;
using SubnetGen.Packaging;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;

namespace SubnetGen.Trainer.Commands;

/// <summary>
/// <c>subnetgen-train predictor --bundle &lt;folder&gt; --data &lt;predictor-data.tsv&gt;</c>: cross-validates the
/// predictor kinds on subnets an export already measured and, with <c>--write</c>, refits the bundle's
/// <c>predictor.json</c> from them — minutes of fitting instead of the export's hour of measuring.
/// </summary>
internal static class PredictorCommand
{
    public static Command Create()
    {
        var bundle = new Option<string>("--bundle") { Description = "Bundle folder the measurements were made on (its design space encodes the configs).", Required = true };
        var data = new Option<string>("--data") { Description = "The export's <out>/predictor-data.tsv (index, config, measured validation accuracy per line).", Required = true };
        var kind = new Option<string>("--kind") { Description = "auto (cross-validate mlp and linear, keep the higher Kendall tau), mlp or linear.", DefaultValueFactory = _ => "auto" };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds.", DefaultValueFactory = _ => PredictorTrainer.DefaultFolds };
        var seed = new Option<int>("--seed") { Description = "Seed of the fold split and the MLP's initialisation.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var write = new Option<bool>("--write") { Description = "Refit the chosen kind on every row and replace the bundle's predictor.json (atomically); without it, only compare." };
        var version = new Option<string?>("--version") { Description = "With --write: the bundle's new package version (a changed predictor needs one: NuGet caches packages by id and version)." };
        var against = new Option<string?>("--score-against") { Description = "Another predictor-data.tsv measuring the same subnets (e.g. on more validation images): fit on --data, score the held-out predictions against this one." };
        var command = new Command("predictor", "Cross-validate accuracy predictors on an export's measured subnets; with --write, refit the bundle's predictor.json.")
        {
            bundle, data, kind, folds, seed, threads, write, version, against,
        };
        command.SetAction(parse => Cli.Run(() =>
        {
            TorchDevice.Select("cpu", parse.GetValue(threads));
            var outcome = Run(Path.GetFullPath(parse.GetValue(bundle)!), Path.GetFullPath(parse.GetValue(data)!),
                PredictorKinds.Parse(parse.GetValue(kind)!), parse.GetValue(folds), parse.GetValue(seed), parse.GetValue(write), Console.WriteLine,
                version: parse.GetValue(version), scoreAgainst: parse.GetValue(against) is string other ? Path.GetFullPath(other) : null);
            return 0;
        }));
        return command;
    }

    /// <summary>What <see cref="Run"/> found and did.</summary>
    public sealed record Outcome(IReadOnlyList<PredictorComparison> Compared, PredictorFile? Written);

    public static Outcome Run(string folder, string dataPath, PredictorKind kind, int folds, int seed, bool write, Action<string> log, MlpShape? mlp = null,
        string? version = null, string? scoreAgainst = null)
    {
        if (version is not null && !write) throw new ArgumentException("--version sets the version of the bundle --write rewrites; add --write.");
        if (version is not null && !NuGetVersion.TryParse(version, out _))
            throw new ArgumentException($"--version {version} is not a NuGet version (e.g. 1.1.1).");
        var bundle = SupernetBundle.Load(folder);
        var spec = bundle.Spec;
        var rows = PredictorSamples.Read(dataPath);
        for (int i = 0; i < rows.Count; i++)
            if (!spec.Space.Contains(rows[i].Config, out string? reason) || rows[i].Config.Stages.Count != spec.Stages.Count)
                throw new InvalidDataException($"{dataPath} row {i} ({rows[i].Config}) is not a subnet of {bundle.Manifest.Id}: {reason ?? "wrong number of stages"}; use the predictor-data.tsv of the export that wrote this bundle.");
        if (write && bundle.Predictor.Kind == PredictorFile.TableKind)
            throw new InvalidOperationException($"{bundle.Manifest.Id} ships an exact table of every config's measured accuracy; a fitted predictor would only approximate it. Leave out --write to compare predictors.");

        var truth = scoreAgainst is null ? null : Reference(rows, dataPath, scoreAgainst);
        if (truth is not null && write) throw new ArgumentException("--score-against only compares; refit with --write from the measurement you want to ship, without --score-against.");

        string scoring = truth is null ? "" : $", held-out predictions scored against {scoreAgainst}";
        log(string.Create(CultureInfo.InvariantCulture, $"{bundle.Manifest.Id} {bundle.Manifest.Version}: {rows.Count} measured subnets from {dataPath}, {folds}-fold cross-validation{scoring}"));
        var clock = Stopwatch.StartNew();
        var compared = PredictorTrainer.Compare(spec, rows, kind, seed, folds,
            c => log(string.Create(CultureInfo.InvariantCulture, $"{PredictorText.Describe(c)}  [{clock.Elapsed.TotalSeconds:F1} s]")), mlp, truth);
        if (bundle.Predictor.Validation is { } shipped)
            log($"Shipped predictor: {PredictorText.Model(bundle.Predictor)}, {PredictorText.Validation(shipped)}");
        if (!write) return new Outcome(compared, null);

        var chosen = PredictorTrainer.Choose(compared);
        var predictor = PredictorTrainer.Fit(spec, rows, chosen.Kind, seed, mlp) with { Validation = chosen.Validation };
        var manifest = version is null ? bundle.Manifest : bundle.Manifest with { Version = version };
        new SupernetBundle(manifest, bundle.Tensors, predictor, bundle.Calibration, bundle.BatchNormStatistics, bundle.Promise).Save(folder);
        log($"Wrote {Path.Combine(folder, PredictorFile.FileName)}: {PredictorText.Model(predictor)} fitted on all {rows.Count} subnets.");
        log(version is null
            ? $"The bundle keeps version {bundle.Manifest.Version}: pack it under a new one (--version), as NuGet caches packages by id and version."
            : $"Bundle version {bundle.Manifest.Version} → {version}.");
        // The export's report beside the bundle (what `pack` puts into the package README) names the predictor: keep it true.
        string report = Path.Combine(Path.GetDirectoryName(folder.TrimEnd(Path.DirectorySeparatorChar))!, SupernetPackageWriter.TrainingReportFileName);
        if (File.Exists(report))
        {
            var lines = File.ReadAllLines(report);
            int line = Array.FindIndex(lines, l => l.StartsWith(PredictorText.ReportLinePrefix, StringComparison.Ordinal));
            if (line >= 0)
            {
                lines[line] = PredictorText.ReportLine(predictor);
                if (lines[0] == $"# {bundle.Manifest.Id} {bundle.Manifest.Version}") lines[0] = $"# {manifest.Id} {manifest.Version}";
                string temporary = report + ".tmp";
                File.WriteAllText(temporary, string.Join("\n", lines) + "\n");
                File.Move(temporary, report, overwrite: true);
                log($"Updated the predictor line of {report}.");
            }
        }
        return new Outcome(compared, predictor);
    }

    /// <summary>The accuracies <paramref name="path"/> measured for each of <paramref name="rows"/>' configs, in their order.</summary>
    private static double[] Reference(IReadOnlyList<(SubnetConfig Config, double Accuracy)> rows, string dataPath, string path)
    {
        var other = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (config, accuracy) in PredictorSamples.Read(path)) other[config.ToString()] = accuracy;
        var truth = new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
            if (!other.TryGetValue(rows[i].Config.ToString(), out truth[i]))
                throw new InvalidDataException($"{path} has no measurement of {dataPath} row {i} ({rows[i].Config}); --score-against needs the same subnets measured another way (`sample` with the same bundle and seed draws them).");
        return truth;
    }
}
