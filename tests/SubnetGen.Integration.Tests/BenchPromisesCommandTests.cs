using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SubnetGen.Cli.Benchmarking;
using SubnetGen.Cli.Commands;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.TestSupport;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// `subnetgen bench-promises` on the released CompOFA supernet, small: 300 test images, two budgets. The numbers are the
/// full sweep's business (docs/promise-sweep.md); here that the table states the build's own promise with its interval,
/// the pick's and the references' test accuracy as `subnetgen evaluate` measures them, and that references fit.
/// </summary>
public sealed class BenchPromisesCommandTests
{
    private const int Images = 300;

    [Fact]
    public void EachBudgetsRow_HoldsThePromiseAgainstTheTestAccuracy_AndThePickAgainstReferencesThatFit()
    {
        string package = ReleasedBundle.PackagePath(ReleasedBundle.CompOfa);
        var output = new StringWriter();
        var log = new StringWriter();
        int code = BenchPromisesCommand.Run(new[] { package }, new[] { "maxMacs=1000", "maxMacs=6000000" }, TestSetOption.FashionMnist, Images, null, output, log, threads: 2);
        Assert.True(code == 0, log.ToString());
        string markdown = output.ToString();
        Assert.Contains("2 at a time", log.ToString(), StringComparison.Ordinal);
        // The same report from one thread: the configs are measured ahead on several, but each is the same model on the same images.
        var oneThread = new StringWriter();
        Assert.Equal(0, BenchPromisesCommand.Run(new[] { package }, new[] { "maxMacs=1000", "maxMacs=6000000" }, TestSetOption.FashionMnist, Images, null, oneThread, TextWriter.Null, threads: 1));
        Assert.Equal(markdown, oneThread.ToString());

        var rows = markdown.Split('\n').Where(l => l.StartsWith("| `max", StringComparison.Ordinal))
            .Select(l => Regex.Split(l.Trim().Trim('|'), @"(?<!\\)\|").Select(c => c.Trim()).ToArray()).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("infeasible", rows[0][1]);

        // The promise is what a build states: the held-out count of the pick, as the pipeline applies promise.json.
        string folder = ReleasedBundle.Extract(ReleasedBundle.CompOfa);
        try
        {
            var bundle = SupernetBundle.Load(folder);
            Assert.NotNull(bundle.Promise);
            var pick = bundle.Promise!.Apply(SubnetSearch.Run(bundle.Spec, bundle.Predictor.CreatePredictor(bundle.Spec), new Budget(MaxMacs: 6_000_000), null, SearchOptions.Default));
            var promise = pick.Promise!;
            Assert.Equal("`" + pick.Config.ToString().Replace("|", "\\|") + "`", rows[1][1]);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{promise.Accuracy * 100:0.00} % ({promise.Lower * 100:0.0}–{promise.Upper * 100:0.0})"), rows[1][2]);

            // The test accuracy is the generated model's on the same images.
            var (images, _) = TestSetOption.Open(TestSetOption.FashionMnist, bundle.Manifest, Images);
            var test = new TestAccuracies(images).Of(new BenchFamily(bundle), pick.Config).Result;
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{test.Accuracy * 100:0.00} %"), rows[1][3]);

            // Every reference fits the budget, and the best one is named with its accuracy.
            var references = PromiseSweep.References(new BenchFamily(bundle), BenchBudget.Parse("maxMacs=6000000", "--budget"));
            Assert.NotEmpty(references);
            Assert.All(references, r => Assert.True(CostModel.Measure(GraphBuilder.Build(bundle.Spec, r.Config)).Macs <= 6_000_000, r.Kind));
            Assert.Contains(rows[1][5].Split(',')[0].Replace(" (the pick)", ""), references.Select(r => r.Kind));
        }
        finally { Directory.Delete(folder, recursive: true); }

        Assert.Contains("1 feasible budgets: mean test − promised", markdown);
        Assert.Contains("test accuracy inside the 95 % interval", markdown);
    }

    [Fact]
    public void EveryConfig_MakesEachFittingConfigOfATableSpaceAReference_Once()
    {
        string folder = ReleasedBundle.Extract(ReleasedBundle.CompOfa);
        try
        {
            var family = new BenchFamily(SupernetBundle.Load(folder));
            var budget = BenchBudget.Parse("maxMacs=6000000", "--budget");
            var spec = family.Bundle.Spec;
            var fitting = spec.Space.Enumerate(spec.Stages.Count).Where(c => CostModel.Measure(GraphBuilder.Build(spec, c)).Macs <= 6_000_000).ToList();
            var every = PromiseSweep.References(family, budget, everyConfig: true);
            Assert.Equal(fitting.Count, every.Count);
            Assert.Equal(fitting.OrderBy(c => c.ToString(), StringComparer.Ordinal), every.Select(r => r.Config).OrderBy(c => c.ToString(), StringComparer.Ordinal));
            Assert.Equal(PromiseSweep.References(family, budget).Select(r => r.Kind), every.Take(2).Select(r => r.Kind));
            Assert.All(every.Skip(2), r => Assert.Equal(PromiseSweep.AnyFittingConfig, r.Kind));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void ALatencyBudget_NeedsADeviceTable_AndWithOne_ThePickAndEveryReferenceFitItsEstimate()
    {
        var refused = Assert.Throws<SubnetGen.Core.Diagnostics.SubnetGenException>(() => BenchBudget.Parse("maxLatencyMs=0.3", "--budget"));
        Assert.Equal(SubnetGen.Core.Diagnostics.DiagnosticCodes.ConstraintsUnknownKey, refused.Diagnostic.Code);
        Assert.Contains("--latency-table", refused.Diagnostic.Fix, StringComparison.Ordinal);
        Assert.Equal(0.25, BenchBudget.Parse("maxLatencyMs=0.25", "--budget", latency: true).Budget.MaxLatencyMs);

        string folder = ReleasedBundle.Extract(ReleasedBundle.CompOfa);
        string tableFile = Path.Combine(folder, "device.json");
        try
        {
            var bundle = SupernetBundle.Load(folder);
            var spec = bundle.Spec;
            int stages = spec.Stages.Count;
            // A made-up device: every layer of the smallest and largest subnets at 1 µs per 10,000 MACs (or input
            // elements) plus 1 µs; the model estimates the other configs' layers from these.
            var entries = new[] { spec.Space.Smallest(stages), spec.Space.Largest(stages) }
                .Select(c => GraphBuilder.Build(spec, c)).SelectMany(g => g.Layers.Select(l => LayerKey.For(g, l)))
                .GroupBy(k => k.ToString(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => 1 + g.First().Work / 10_000.0, StringComparer.Ordinal);
            var table = new DeviceLatencyTable("made-up device", new LatencyMeasurement("test", "none", 1, 1), entries);
            table.Write(tableFile);
            var family = new BenchFamily(bundle, new LatencyModel(table));
            double Estimate(SubnetGen.Core.Space.SubnetConfig c) => family.EstimateLatency(GraphBuilder.Build(spec, c))!.Milliseconds;

            var levels = BenchBudget.LatencyLevels(family);
            Assert.Equal(4, levels.Count);
            Assert.True(levels.Zip(levels.Skip(1)).All(p => p.First.Budget.MaxLatencyMs < p.Second.Budget.MaxLatencyMs), string.Join("; ", levels.Select(l => l.Label)));
            Assert.True(Estimate(spec.Space.Largest(stages)) <= levels[^1].Budget.MaxLatencyMs);
            Assert.True(Estimate(spec.Space.Smallest(stages)) <= levels[0].Budget.MaxLatencyMs);

            // A budget halfway binds: some configs are over it, and no reference is.
            var budget = levels[1];
            var references = PromiseSweep.References(family, budget, everyConfig: true);
            Assert.NotEmpty(references);
            Assert.All(references, r => Assert.True(Estimate(r.Config) <= budget.Budget.MaxLatencyMs, r.Config.ToString()));
            Assert.Contains(spec.Space.Enumerate(stages), c => Estimate(c) > budget.Budget.MaxLatencyMs);

            var output = new StringWriter();
            var log = new StringWriter();
            Assert.Equal(1, BenchPromisesCommand.Run(new[] { folder }, new[] { budget.Label }, TestSetOption.FashionMnist, 100, null, output, log, latencyTables: new[] { tableFile, tableFile }));
            Assert.Contains("2 --latency-table files for 1 supernets", log.ToString(), StringComparison.Ordinal);
            log.GetStringBuilder().Clear();
            int code = BenchPromisesCommand.Run(new[] { folder }, new[] { budget.Label }, TestSetOption.FashionMnist, 100, null, output, log, latencyTables: new[] { tableFile });
            Assert.True(code == 0, log.ToString());
            var pick = family.Search(budget)!;
            Assert.True(pick.LatencyMs <= budget.Budget.MaxLatencyMs);
            Assert.Contains("`" + pick.Config.ToString().Replace("|", "\\|") + "`", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("the latency model of a device table — CompOFA: device.json, a table of made-up device", output.ToString(), StringComparison.Ordinal);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void HalvesAndPairedDifferences_AreOfTheOddAndEvenImages()
    {
        bool[] a = { true, true, false, true, true, false };
        bool[] b = { true, false, false, false, true, true };
        Assert.Equal(2 / 3.0, PromiseSweep.Half(a, even: true), 12);   // images 0, 2, 4
        Assert.Equal(2 / 3.0, PromiseSweep.Half(a, even: false), 12);  // images 1, 3, 5
        var (difference, error) = PromiseSweep.PairedDifference(a, b);  // odd images: +1, +1, −1
        Assert.Equal(1 / 3.0, difference, 12);
        Assert.Equal(Math.Sqrt((Math.Pow(1 - 1 / 3.0, 2) * 2 + Math.Pow(-1 - 1 / 3.0, 2)) / 2 / 3), error, 12);
    }
}
