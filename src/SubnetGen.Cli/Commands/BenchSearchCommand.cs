using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using NuGet.Versioning;
using SubnetGen.Cli.Benchmarking;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;
using SubnetGen.Packaging;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen bench-search [--budget k=v,…]… [--memory-kb N]… [--memory-elements N]… [--limit N] [--repeat N] [--markdown file]</c>:
/// the CompOFA and MOOFA papers' claims measured on SubnetGen's own supernets in one run, over the same budgets — search
/// time (OFA's evolutionary search against CompOFA's exhaustive one) and the test accuracy of each family's pick at tight
/// memory, both in SubnetGen's arena KB and in MOOFA's analytical elements. Markdown on stdout, progress on stderr.
/// </summary>
internal static class BenchSearchCommand
{
    /// <summary>The released packages in feed/, relative to the current folder (the repository root): whichever version is there.</summary>
    public static string DefaultOfa => FeedPackage("SubnetGen.Supernet.FashionMnist.OFA");
    public static string DefaultCompOfa => FeedPackage("SubnetGen.Supernet.FashionMnist.CompOFA");
    public static string DefaultMoOfa => FeedPackage("SubnetGen.Supernet.FashionMnist.MOOFA");

    /// <summary>
    /// feed/&lt;id&gt;.&lt;version&gt;.nupkg with the highest version in feed/ (it holds one per supernet); a path that
    /// names the missing package when there is none, so opening it fails with that name.
    /// </summary>
    internal static string FeedPackage(string id, string root = ".")
    {
        const string feed = "feed";
        string folder = Path.Combine(root, feed);
        var packages = Directory.Exists(folder)
            ? Directory.GetFiles(folder, id + ".*.nupkg")
                .Select(path => Path.GetFileName(path))
                .Select(name => (Name: name, Version: NuGetVersion.TryParse(name.Substring(id.Length + 1, name.Length - id.Length - 1 - ".nupkg".Length), out var v) ? v : null))
                .Where(p => p.Version is not null).OrderByDescending(p => p.Version).ToList()
            : new List<(string Name, NuGetVersion? Version)>();
        return packages.Count == 0 ? $"{feed}/{id}.<version>.nupkg" : $"{feed}/{packages[0].Name}";
    }

    /// <summary>
    /// Tight to loose for the released Fashion-MNIST supernets (OFA 4.2–13.7 M MACs, CompOFA 4.3–14.1 M; arena 196, 245 or
    /// 367.5 KB): from just above CompOFA's smallest subnet to one that every subnet meets.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultBudgets = new[]
    {
        "maxPeakMemoryKB=200,maxMacs=4500000",
        "maxPeakMemoryKB=200,maxMacs=6000000",
        "maxPeakMemoryKB=250,maxMacs=7000000",
        "maxPeakMemoryKB=250,maxMacs=9000000",
        "maxPeakMemoryKB=400,maxMacs=11000000",
        "maxPeakMemoryKB=400,maxMacs=15000000",
    };

    /// <summary>Arena budgets around the levels the first stage's expansion sets (MOOFA 147, 196, 245 KB; OFA and CompOFA 196, 245, 367.5 KB).</summary>
    public static readonly IReadOnlyList<double> DefaultMemoryKilobytes = new[] { 100d, 150, 200, 250, 400 };

    /// <summary>MOOFA-element budgets around the same levels (MOOFA 38,144–63,744; CompOFA 50,944–94,944; OFA 50,944–98,784).</summary>
    public static readonly IReadOnlyList<long> DefaultMoofaElements = new[] { 30_000L, 40_000, 51_000, 64_000, 100_000 };

    /// <summary>Untimed searches per family before any is timed, so the clock sees the JIT's optimised code.</summary>
    public static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);

    /// <summary>The parsed command line; empty budget lists mean the defaults above.</summary>
    internal sealed record Request(
        string Ofa, string CompOfa, string MoOfa,
        IReadOnlyList<string> Budgets, IReadOnlyList<double> MemoryKilobytes, IReadOnlyList<long> MoofaElements,
        string Data, int? Limit, int Repeat, string? Markdown);

    public static Command Create()
    {
        var ofa = new Option<FileSystemInfo>("--ofa") { HelpName = "folder|package.nupkg", Description = "The OFA supernet.", DefaultValueFactory = _ => new FileInfo(DefaultOfa) };
        var compOfa = new Option<FileSystemInfo>("--compofa") { HelpName = "folder|package.nupkg", Description = "The CompOFA supernet.", DefaultValueFactory = _ => new FileInfo(DefaultCompOfa) };
        var moOfa = new Option<FileSystemInfo>("--moofa") { HelpName = "folder|package.nupkg", Description = "The MOOFA supernet.", DefaultValueFactory = _ => new FileInfo(DefaultMoOfa) };
        var budgets = new Option<string[]>("--budget") { HelpName = "key=value[,key=value…]", Description = "A budget for the search-time table, in constraints.json's keys and units (" + BenchBudget.KeyList(latency: false) + "), e.g. maxPeakMemoryKB=250,maxMacs=8000000; repeat for several. Default: " + string.Join("; ", DefaultBudgets) + "." };
        var kilobytes = new Option<double[]>("--memory-kb") { HelpName = "KB", Description = "A peak-memory budget (the arena, KB = 1024 bytes) for the tight-memory table; repeat for several. Default: " + string.Join(", ", DefaultMemoryKilobytes.Select(k => k.ToString(CultureInfo.InvariantCulture))) + "." };
        var elements = new Option<long[]>("--memory-elements") { HelpName = "N", Description = "A budget in MOOFA's analytical peak memory (elements) for the tight-memory table; repeat for several. Default: " + string.Join(", ", DefaultMoofaElements.Select(e => e.ToString(CultureInfo.InvariantCulture))) + "." };
        var data = new Option<string>("--data") { HelpName = "fashion-mnist|folder", Description = TestSetOption.Description, DefaultValueFactory = _ => TestSetOption.FashionMnist };
        var limit = new Option<int?>("--limit") { HelpName = "N", Description = "Only the first N test images." };
        var repeat = new Option<int>("--repeat") { HelpName = "N", Description = "Timed runs of each search; the table shows the median.", DefaultValueFactory = _ => 3 };
        var markdown = new Option<FileInfo?>("--markdown") { HelpName = "file", Description = "Also write the tables to this file." };
        var command = new Command("bench-search", "Measure the CompOFA and MOOFA papers' claims on the released supernets: search time of OFA's evolutionary search against CompOFA's exhaustive one, and each family's pick and test accuracy at tight memory.")
            { ofa, compOfa, moOfa, budgets, kilobytes, elements, data, limit, repeat, markdown };
        command.SetAction(parse => CommandErrors.Run(() => Run(new Request(
            parse.GetValue(ofa)!.FullName, parse.GetValue(compOfa)!.FullName, parse.GetValue(moOfa)!.FullName,
            parse.GetValue(budgets) ?? Array.Empty<string>(), parse.GetValue(kilobytes) ?? Array.Empty<double>(), parse.GetValue(elements) ?? Array.Empty<long>(),
            parse.GetValue(data)!, parse.GetValue(limit), parse.GetValue(repeat), parse.GetValue(markdown)?.FullName), Console.Out, Console.Error)));
        return command;
    }

    /// <summary>Runs the benchmark: the markdown goes to <paramref name="output"/> (and <see cref="Request.Markdown"/>), progress to <paramref name="log"/>.</summary>
    internal static int Run(Request request, TextWriter output, TextWriter log)
    {
        if (request.Limit is <= 0)
        {
            log.WriteLine($"error: --limit must be at least 1, not {request.Limit}.");
            return 1;
        }
        if (request.Repeat < 1)
        {
            log.WriteLine($"error: --repeat must be at least 1, not {request.Repeat}.");
            return 1;
        }
        // Every budget is checked before anything slow starts.
        var speed = (request.Budgets.Count == 0 ? DefaultBudgets : request.Budgets).Select(b => BenchBudget.Parse(b, "--budget")).ToList();
        var memory = (request.MemoryKilobytes.Count == 0 ? DefaultMemoryKilobytes : request.MemoryKilobytes).Select(BenchBudget.PeakMemoryKilobytes)
            .Concat((request.MoofaElements.Count == 0 ? DefaultMoofaElements : request.MoofaElements).Select(BenchBudget.MoofaElements)).ToList();

        return SupernetPackageReader.WithBundleFolder(request.Ofa, ofa =>
            SupernetPackageReader.WithBundleFolder(request.CompOfa, compOfa =>
                SupernetPackageReader.WithBundleFolder(request.MoOfa, moOfa =>
                {
                    var families = new[]
                    {
                        Load(ofa, request.Ofa, Family.Ofa, "--ofa"), Load(compOfa, request.CompOfa, Family.CompOfa, "--compofa"),
                        Load(moOfa, request.MoOfa, Family.MoOfa, "--moofa"),
                    };
                    return RunOnFamilies(request, families, speed, memory, output, log);
                })));
    }

    private static int RunOnFamilies(Request request, BenchFamily[] families, List<BenchBudget> speedBudgets, List<BenchBudget> memoryBudgets, TextWriter output, TextWriter log)
    {
        // One test set serves all three: the same image size and classes (each model normalises the pixels its own way).
        var manifest = families[0].Bundle.Manifest;
        var input = manifest.Spec.Input;
        foreach (var other in families.Skip(1))
        {
            var theirs = other.Bundle.Spec.Input;
            if ((theirs.Height, theirs.Width, theirs.Channels) != (input.Height, input.Width, input.Channels)
                || !other.Bundle.Manifest.Labels.SequenceEqual(manifest.Labels, StringComparer.Ordinal))
                throw new InvalidDataException($"{other.Bundle.Manifest.Id} and {manifest.Id} take different images or classes: the benchmark compares supernets of one dataset.");
        }
        var (images, dataset) = TestSetOption.Open(request.Data, manifest, request.Limit);
        var (ofa, compOfa) = (families[0], families[1]);

        var cold = families.Take(2).Select(f => WarmUp(f, log)).ToArray();
        var speed = new List<SpeedRow>();
        foreach (var budget in speedBudgets)
        {
            TimedSearch? a = null, b = null;
            // Interleaved, so a slow spell of the machine falls on both families rather than on one.
            for (int run = 0; run < request.Repeat; run++)
            {
                a = TimeOnce(ofa, budget, a);
                b = TimeOnce(compOfa, budget, b);
            }
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{budget.Label}: {ofa.Name} {a!.MedianMilliseconds:0.0} ms ({Describe(a.Result)}), {compOfa.Name} {b!.MedianMilliseconds:0.00} ms ({Describe(b.Result)})"));
            speed.Add(new SpeedRow(budget, a, b));
        }

        var memory = new List<MemoryRow>();
        foreach (var budget in memoryBudgets)
        {
            var picks = families.Select(f => f.Search(budget)).ToArray();
            log.WriteLine($"{budget.Label}: " + string.Join(", ", families.Select((f, i) => $"{f.Name} {Describe(picks[i])}")));
            memory.Add(new MemoryRow(budget, picks));
        }

        var catalog = new PickCatalog(images, log);
        foreach (var row in speed)
        {
            catalog.Add(ofa, row.Ofa.Result);
            catalog.Add(compOfa, row.CompOfa.Result);
        }
        foreach (var row in memory)
            for (int i = 0; i < families.Length; i++) catalog.Add(families[i], row.Picks[i]);
        catalog.MeasureAll();
        CheckFits(speed, memory);

        if (!AccuracyRun.RuntimeIsOptimized)
            log.WriteLine("warning: SubnetGen.Runtime is a Debug build; search times are of unoptimised code. Build with -c Release to measure.");
        var setup = Setup(families, images.Count, dataset, request.Repeat, cold);
        string report = ClaimsReport.Markdown(new ClaimsRun(families, speed, memory, catalog, setup));
        output.Write(report);
        if (request.Markdown is string path)
        {
            string? directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            File.WriteAllText(path, report);
            log.WriteLine($"markdown → {path}");
        }
        return 0;
    }

    private static BenchFamily Load(string folder, string given, Family expected, string option)
    {
        var bundle = SupernetBundle.Load(folder);
        var family = bundle.Spec.Space.Family;
        if (family != expected)
            throw new InvalidDataException($"{option} {given} is a {FormatNames.DisplayName(family)} supernet; {option} takes the {FormatNames.DisplayName(expected)} one.");
        return new BenchFamily(bundle);
    }

    /// <summary>
    /// Searches without a budget (every code path: costing, predicting, comparing) until <see cref="WarmUpTime"/> has passed,
    /// at least twice; returns the first, cold search's time, which a build pays.
    /// </summary>
    private static double WarmUp(BenchFamily family, TextWriter log)
    {
        var budget = new BenchBudget("none", Budget.Unconstrained, null);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double cold = family.Timed(budget).Milliseconds;
        int runs = 1;
        for (; runs < 2 || clock.Elapsed < WarmUpTime; runs++) family.Timed(budget);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{family.Name}: first (cold) search {cold:0.0} ms; {runs} warm-up searches"));
        return cold;
    }

    private static TimedSearch TimeOnce(BenchFamily family, BenchBudget budget, TimedSearch? runs)
    {
        // The previous search's garbage is collected now rather than on this one's clock.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var (result, milliseconds) = family.Timed(budget);
        return TimedSearch.Add(runs, result, milliseconds);
    }

    /// <summary>The search's promise, held: a pick that breaks its budget would make every number here meaningless.</summary>
    private static void CheckFits(IEnumerable<SpeedRow> speed, IEnumerable<MemoryRow> memory)
    {
        var picks = speed.SelectMany(r => new[] { (r.Budget, r.Ofa.Result), (r.Budget, r.CompOfa.Result) })
            .Concat(memory.SelectMany(r => r.Picks.Select(p => (r.Budget, p))));
        foreach (var (budget, result) in picks)
            if (result is not null && !budget.Admits(result.Cost))
                throw new InvalidOperationException($"The search picked {result.Config} under {budget.Label}, which it breaks.");
    }

    private static IReadOnlyList<string> Setup(BenchFamily[] families, int images, string dataset, int repeat, double[] cold)
    {
        string Family(BenchFamily f)
        {
            var spec = f.Bundle.Spec;
            var method = spec.Space.Count(spec.Stages.Count) <= SearchOptions.Default.ExhaustiveLimit ? "exhaustive search" : "evolutionary search";
            return string.Create(CultureInfo.InvariantCulture,
                $"{f.Name} = {f.Bundle.Manifest.Id} {f.Bundle.Manifest.Version} ({Count(spec.Space.ApproximateCount(spec.Stages.Count))} subnets, {method})");
        }
        var (ofa, compOfa) = (families[0], families[1]);
        return new[]
        {
            "Supernets: " + string.Join("; ", families.Select(Family)) + ". Each is searched as a build searches it: `SubnetSearch.Run` with the bundle's predictor and its `SearchOptions`, no latency model.",
            string.Create(CultureInfo.InvariantCulture,
                $"Search time: wall time of one `SubnetSearch.Run`, the median of {repeat} run(s) per budget ({ofa.Name} and {compOfa.Name} interleaved), after {WarmUpTime.TotalSeconds:0.#} s of untimed warm-up searches per family. The first, cold search (JIT included) took {cold[0]:0.0} ms for {ofa.Name} and {cold[1]:0.0} ms for {compOfa.Name}."),
            string.Create(CultureInfo.InvariantCulture,
                $"Test accuracy: the generated C# model of each pick, extracted as a build extracts it ({ofa.Name}: BN recalibrated on the bundle's {ofa.Bundle.Calibration.Count:#,0} calibration images), on {images:#,0} {dataset} test images."),
            "Machine: " + MachineDescription.Text() + ".",
        };
    }

    // As docs/design-spaces.md writes sizes: 243, 2.18e+19.
    private static string Count(double count) => count.ToString(count < 1e6 ? "#,0" : "0.00e+00", CultureInfo.InvariantCulture);

    private static string Describe(SearchResult? result) => result is null ? ClaimsReport.Infeasible
        : string.Create(CultureInfo.InvariantCulture, $"{result.Config}, {result.PredictedAccuracy * 100:0.00} % predicted");
}
