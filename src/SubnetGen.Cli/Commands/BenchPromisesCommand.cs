using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Cli.Benchmarking;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Packaging;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen bench-promises [--supernet folder|package]… [--budget k=v,…]… [--markdown file]</c>: holds what builds promise
/// against the test set. Each supernet is searched as a build searches it under each budget; the pick's generated model and
/// the references that also fit (the largest; the best held out) run on the test images. Prints how far promises miss, how
/// often the 95 % intervals cover the test accuracy, and how far picks fall short of the references (docs/search.md).
/// </summary>
internal static class BenchPromisesCommand
{
    /// <summary>
    /// Tight to loose over every cost budget key for the released Fashion-MNIST supernets; latency, a device's, is added per
    /// supernet from <c>--latency-table</c> (<see cref="BenchBudget.LatencyLevels"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultBudgets = new[]
    {
        "maxMacs=4500000", "maxMacs=6000000", "maxMacs=8000000", "maxMacs=11000000", "maxMacs=100000000",
        "maxPeakMemoryKB=150", "maxPeakMemoryKB=200", "maxPeakMemoryKB=250",
        "maxWeightsKB=1600", "maxWeightsKB=2000", "maxWeightsKB=3000",
        "maxParameters=500000",
        "maxPeakMemoryKB=250,maxMacs=7000000", "maxPeakMemoryKB=200,maxWeightsKB=2048",
    };

    public static Command Create()
    {
        var supernets = new Option<FileSystemInfo[]>("--supernet") { HelpName = "folder|package.nupkg", Description = "A supernet to sweep; repeat for several. Default: the three released packages in feed/ (" + string.Join(", ", Defaults.Select(Path.GetFileName)) + ")." };
        var budgets = new Option<string[]>("--budget") { HelpName = "key=value[,key=value…]", Description = "A budget in constraints.json's keys and units; repeat for several. Default: " + string.Join("; ", DefaultBudgets) + "." };
        var data = new Option<string>("--data") { HelpName = "fashion-mnist|folder", Description = TestSetOption.Description, DefaultValueFactory = _ => TestSetOption.FashionMnist };
        var limit = new Option<int?>("--limit") { HelpName = "N", Description = "Only the first N test images (a quick look; the bars need all of them)." };
        var markdown = new Option<FileInfo?>("--markdown") { HelpName = "file", Description = "Also write the tables to this file." };
        var latencyTable = new Option<FileInfo[]>("--latency-table") { HelpName = "file", Description = "A device latency table (`subnetgen profile`): the supernets are searched with its latency model, as a build whose target names it, and maxLatencyMs budgets may be given. Give one for all supernets, or one per --supernet in the same order (profile each: layers a table lacks are estimated). Without --budget, four latency budgets per supernet join the defaults, from just above its smallest subnet's estimated latency to its largest's." };
        var threads = new Option<int>("--threads") { HelpName = "n", Description = "Configs run on the test images at once, each on its own thread [the machine's cores]; the accuracies are the same for any number.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var resolution = new Option<double?>("--predictor-resolution") { HelpName = "points", Description = "Search with this predictor resolution (accuracy points; 0 = the plain maximum) instead of the build's (a fitted predictor's cross-validated RMSE): to measure the rule before changing it." };
        var everyConfig = new Option<bool>("--every-config") { Description = "For spaces small enough to enumerate (243 configs), every config that fits is a reference too: each is run on the test images once (about 16 min per supernet on one core of a 2-core machine)." };
        var command = new Command("bench-promises", "Hold the accuracy builds promise against the test set over a sweep of budgets, and each pick against subnets that also fit.")
            { supernets, budgets, data, limit, markdown, everyConfig, latencyTable, threads, resolution };
        command.SetAction(parse => CommandErrors.Run(() => Run(
            (parse.GetValue(supernets) is { Length: > 0 } given ? given.Select(s => s.FullName) : Defaults).ToList(),
            parse.GetValue(budgets) is { Length: > 0 } b ? b : DefaultBudgets, parse.GetValue(data)!, parse.GetValue(limit), parse.GetValue(markdown)?.FullName,
            Console.Out, Console.Error, parse.GetValue(everyConfig), (parse.GetValue(latencyTable) ?? Array.Empty<FileInfo>()).Select(f => f.FullName).ToList(),
            latencyLevels: parse.GetValue(budgets) is not { Length: > 0 }, threads: parse.GetValue(threads), resolutionPoints: parse.GetValue(resolution))));
        return command;
    }

    private static IEnumerable<string> Defaults => new[] { BenchSearchCommand.DefaultOfa, BenchSearchCommand.DefaultCompOfa, BenchSearchCommand.DefaultMoOfa };

    /// <param name="latencyTables">Device latency tables: none (no latency budgets), one for every supernet, or one per supernet in order.</param>
    /// <param name="latencyLevels">With a table: add <see cref="BenchBudget.LatencyLevels"/> for each supernet.</param>
    /// <param name="resolutionPoints">The search's <see cref="SearchOptions.PredictorResolution"/> in points instead of the build's; null: the build's.</param>
    internal static int Run(IReadOnlyList<string> supernets, IReadOnlyList<string> budgetTexts, string data, int? limit, string? markdown, TextWriter output, TextWriter log,
        bool everyConfig = false, IReadOnlyList<string>? latencyTables = null, bool latencyLevels = false, int threads = 1, double? resolutionPoints = null)
    {
        if (threads < 1)
        {
            log.WriteLine($"error: --threads {threads}: give 1 or more (configs measured at once).");
            return 1;
        }
        if (resolutionPoints is not (null or (>= 0 and < 100)))
        {
            log.WriteLine($"error: --predictor-resolution {resolutionPoints}: give accuracy points from 0 up to 100.");
            return 1;
        }
        if (limit is <= 0)
        {
            log.WriteLine($"error: --limit must be at least 1, not {limit}.");
            return 1;
        }
        latencyTables ??= Array.Empty<string>();
        if (latencyTables.Count > 1 && latencyTables.Count != supernets.Count)
        {
            log.WriteLine($"error: {latencyTables.Count} --latency-table files for {supernets.Count} supernets: give one for all of them, or one per --supernet in the same order.");
            return 1;
        }
        var tables = latencyTables.Select(t => (Path: t, Table: DeviceLatencyTable.Load(t))).ToList();
        var budgets = budgetTexts.Select(b => BenchBudget.Parse(b, "--budget", latency: tables.Count > 0)).ToList();
        var used = new List<string>();
        var rows = new List<PromiseRow>();
        TestAccuracies? tests = null;
        string? dataset = null;
        for (int i = 0; i < supernets.Count; i++)
        {
            var (tablePath, table) = tables.Count == 0 ? (null, null) : tables[Math.Min(i, tables.Count - 1)];
            SupernetPackageReader.WithBundleFolder(supernets[i], folder =>
            {
                var bundle = SupernetBundle.Load(folder);
                var options = resolutionPoints is double points ? bundle.Predictor.SearchOptions with { PredictorResolution = points / 100 } : null;
                var family = new BenchFamily(bundle, table is null ? null : new LatencyModel(table), options);
                if (table is not null)
                    used.Add($"{family.Name}: {Path.GetFileName(tablePath)}, a table of {table.Device}" +
                        (table.WholeModel is { } w ? string.Create(CultureInfo.InvariantCulture, $" with whole-model scale {w.Scale:0.000}") : ""));
                // A fresh cache per supernet: configs of two supernets are different models.
                var (images, name) = TestSetOption.Open(data, family.Bundle.Manifest, limit);
                tests = new TestAccuracies(images);
                dataset = name;
                var own = table is not null && latencyLevels ? budgets.Concat(BenchBudget.LatencyLevels(family)) : budgets;
                var plans = own.Select(b => PromiseSweep.Plan(family, b, everyConfig)).ToList();
                // Every config the sweep will run, measured on all cores first; the rows then read them.
                tests.Measure(family, plans.SelectMany(p => p.Configs), threads, log);
                foreach (var plan in plans) rows.Add(PromiseSweep.Run(family, plan, tests, log));
                return 0;
            });
        }

        var setup = new[]
        {
            "Each supernet searched as a build searches it (`SubnetSearch.Run`, " + (resolutionPoints is double r ? string.Create(CultureInfo.InvariantCulture, $"the build's options but a predictor resolution of {r:0.##} points") : "the build's `SearchOptions`") + ", its predictor, " + (used.Count == 0 ? "no latency model" : "the latency model of a device table — " + string.Join("; ", used.Distinct())) + "); the promise is what the build states: the held-out accuracy with its 95 % Wilson interval when the package ships promise.json, else the predictor's value.",
            $"Test: the generated C# model of each pick and reference, extracted as a build extracts it, on {tests?.Images ?? 0:#,0} {dataset} test images.",
            "References: subnets that fit the same budget — the one with the most MACs (table spaces: all 243 configs; OFA: its largest and 1,000 seeded random configs) and, with promise.json, the best held-out one" + (everyConfig ? "; for table spaces every other config that fits as well" : "") + ". The best reference is chosen on the even test images and compared with the pick on the odd ones (± paired standard error).",
            "Machine: " + MachineDescription.Text() + ".",
        };
        string report = PromiseReport.Markdown(rows, setup);
        output.Write(report);
        if (markdown is not null)
        {
            string? directory = Path.GetDirectoryName(markdown);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            File.WriteAllText(markdown, report);
            log.WriteLine($"markdown → {markdown}");
        }
        return 0;
    }
}
