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
        int code = BenchPromisesCommand.Run(new[] { package }, new[] { "maxMacs=1000", "maxMacs=6000000" }, TestSetOption.FashionMnist, Images, null, output, log);
        Assert.True(code == 0, log.ToString());
        string markdown = output.ToString();

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
