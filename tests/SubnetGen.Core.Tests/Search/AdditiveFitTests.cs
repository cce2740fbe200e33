using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;

namespace SubnetGen.Core.Tests.Search;

public sealed class AdditiveFitTests : IDisposable
{
    private static readonly SupernetSpec CompOfa = DefaultSupernets.FashionMnist(Family.CompOfa);
    private static readonly List<SubnetConfig> All = CompOfa.Space.Enumerate(CompOfa.Stages.Count).ToList();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sng-additive-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>An accuracy that is a sum of per-block effects: what the fit can represent exactly.</summary>
    private static double Additive(SubnetConfig config)
    {
        double value = 0.85;
        for (int s = 0; s < config.Stages.Count; s++)
            foreach (var block in config.Stages[s])
                value += 0.001 * (s + 1) + 0.0004 * block.KernelSize + 0.0007 * block.ExpandRatio;
        return value;
    }

    [Fact]
    public void AnAdditiveTableIsReproduced()
    {
        var table = All.ToDictionary(c => c.ToString(), Additive, StringComparer.Ordinal);
        var fitted = AdditiveFit.Fit(CompOfa, table);
        Assert.Equal(table.Count, fitted.Count);
        foreach (var (architecture, accuracy) in table) Assert.Equal(accuracy, fitted[architecture], 4);
    }

    [Fact]
    public void NoisyEntriesArePooled_SoTheFitsPicksAreNearerTheTrueBest()
    {
        // Each entry measured on 2,000 images: binomial noise of about 0.6 points around an additive truth.
        var random = new Random(11);
        double Noise() => 0.006 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var table = All.ToDictionary(c => c.ToString(), c => Additive(c) + Noise(), StringComparer.Ordinal);
        var fitted = AdditiveFit.Fit(CompOfa, table);

        double Rms(Func<SubnetConfig, double> estimate) => Math.Sqrt(All.Average(c => Math.Pow(estimate(c) - Additive(c), 2)));
        double raw = Rms(c => table[c.ToString()]), fit = Rms(c => fitted[c.ToString()]);
        Assert.True(fit < raw / 3, $"fit error {fit:F5} should be far below the raw table's {raw:F5}");

        // Under MAC budgets from tight to loose, the fit's pick falls less short of the best config that fits.
        var macs = All.ToDictionary(c => c, c => CostModel.Measure(GraphBuilder.Build(CompOfa, c)).Macs);
        var sorted = macs.Values.OrderBy(m => m).ToArray();
        double rawShort = 0, fitShort = 0;
        foreach (double quantile in new[] { 0.1, 0.25, 0.4, 0.55, 0.7, 0.85 })
        {
            long budget = sorted[(int)(quantile * (sorted.Length - 1))];
            var fits = All.Where(c => macs[c] <= budget).ToList();
            double best = fits.Max(Additive);
            rawShort += best - Additive(fits.OrderByDescending(c => table[c.ToString()]).First());
            fitShort += best - Additive(fits.OrderByDescending(c => fitted[c.ToString()]).First());
        }
        Assert.True(fitShort < rawShort, $"the fit's picks fall {fitShort:F4} short of the best in total, the raw table's {rawShort:F4}");
    }

    [Fact]
    public void ATableBundleSearchesTheFit_AndRefusesEntriesOutsideItsSpace()
    {
        var table = All.ToDictionary(c => c.ToString(), c => Additive(c) + (c.ToString().Length % 3) * 0.001, StringComparer.Ordinal);
        var bundle = RandomSupernet.Create(CompOfa, "Test.Supernet", "0.1.0", 7, Enumerable.Range(0, 10).Select(i => "c" + i).ToArray())
            .WithPredictor(PredictorFile.Table(table));
        var predictor = bundle.Predictor.CreatePredictor(CompOfa);
        var fitted = AdditiveFit.Fit(CompOfa, table);
        foreach (var config in All) Assert.Equal(fitted[config.ToString()], predictor.Predict(config));

        table["k3e3|k3e3|k3e3|k3e3|k3e3"] = 0.5;   // one block per stage: CompOFA's depths start at 2
        string folder = Path.Combine(_root, "bundle");
        bundle.WithPredictor(PredictorFile.Table(table)).Save(folder);
        var e = Assert.Throws<SubnetGenException>(() => SupernetBundle.Load(folder));
        Assert.Equal(DiagnosticCodes.PredictorInvalid, e.Diagnostic.Code);
        Assert.Contains("k3e3|k3e3|k3e3|k3e3|k3e3", e.Diagnostic.Message);
    }
}
