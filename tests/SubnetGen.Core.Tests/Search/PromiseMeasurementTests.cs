using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Datasets;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Search;

/// <summary>What promise.json holds, whatever runs the subnets: counts per table config, or a fitted predictor's bias on the search's picks.</summary>
public sealed class PromiseMeasurementTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-heldout-" + Guid.NewGuid().ToString("N")[..8]);

    public PromiseMeasurementTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly SupernetSpec CompOfa = DefaultSupernets.FashionMnist(Family.CompOfa);

    [Fact]
    public void Table_CountsEveryConfigOnce_InOrdinalOrder_AndRefusesACountBeyondTheImages()
    {
        var configs = CompOfa.Space.Enumerate(CompOfa.Stages.Count).Take(5).ToList();
        var table = configs.ToDictionary(c => c.ToString(), c => 0.9, StringComparer.Ordinal);
        var asked = new List<string>();
        var progress = new List<(int, int)>();
        var promise = PromiseMeasurement.Table(table, 100, "split", c => { asked.Add(c.ToString()); return 80 + asked.Count; },
            (done, total, _, _, _) => progress.Add((done, total)));

        Assert.Equal(table.Keys.OrderBy(k => k, StringComparer.Ordinal), asked);
        Assert.Equal(Enumerable.Range(81, 5), asked.Select(a => promise.Correct[a]));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (i, 5)), progress);
        Assert.Equal(100, promise.Images);
        Assert.Null(promise.Correction);
        Assert.Throws<InvalidOperationException>(() => PromiseMeasurement.Table(table, 100, "split", _ => 101));
    }

    [Fact]
    public void Correction_IsTheMeanAndSpreadOfPredictedMinusMeasured()
    {
        var configs = CompOfa.Space.Enumerate(CompOfa.Stages.Count).Take(3).ToList();
        var picks = new[] { (configs[0], 0.92), (configs[1], 0.90), (configs[2], 0.95) };
        var measured = new Dictionary<SubnetConfig, int> { [configs[0]] = 900, [configs[1]] = 890, [configs[2]] = 920 };
        var promise = PromiseMeasurement.Correction(picks, 1000, "split", c => measured[c]);

        // Errors 0.02, 0.01, 0.03: mean 0.02, sample standard deviation 0.01.
        Assert.Equal(0.02, promise.Correction!.Offset, 12);
        Assert.Equal(0.01, promise.Correction.StandardDeviation, 12);
        Assert.Equal(3, promise.Correction.Subnets);
        Assert.Empty(promise.Correct);
        Assert.Throws<InvalidOperationException>(() => PromiseMeasurement.Correction(picks.Take(1).ToList(), 1000, "split", c => measured[c]));
    }

    [Fact]
    public void CorrectionPicks_AreDistinct_AndSpanTheSpace()
    {
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        var predictor = new TablePredictor(AdditiveFit.Fit(CompOfa, CompOfa.Space.Enumerate(CompOfa.Stages.Count)
            .ToDictionary(c => c.ToString(), c => 0.8 + 0.001 * c.ToString().Count(ch => ch == '6'), StringComparer.Ordinal)));
        var picks = PromiseMeasurement.CorrectionPicks(CompOfa, predictor, SearchOptions.Default);
        Assert.Equal(picks.Count, picks.Select(p => p.Config).Distinct().Count());
        Assert.True(picks.Count >= 5, $"{picks.Count} distinct picks under {PromiseMeasurement.CorrectionBudgets(CompOfa).Count} budgets");
        Assert.Contains(picks, p => p.Config.Equals(CompOfa.Space.Largest(CompOfa.Stages.Count)));
        Assert.Equal(25, PromiseMeasurement.CorrectionBudgets(spec).Count);
    }

    [Fact]
    public void HeldOutImages_RoundTrip_AndRefuseAnotherSupernetOrAMissingFile()
    {
        var description = new HeldOutImages("SubnetGen.Supernet.A", "1.0.0", "fashion-mnist validation images 3000–3099", 100);
        description.Write(_folder);
        Assert.Equal(description, HeldOutImages.Read(_folder));

        var manifest = new SupernetManifest("SubnetGen.Supernet.B", "1.0.0", Trained: true, CompOfa, Enumerable.Range(0, 10).Select(i => "c" + i).ToArray(),
            new Provenance(Tool: "test"), MeasuredAccuracy.NotMeasured);
        var other = Assert.Throws<SubnetGenException>(() => description.RequireFor(manifest, _folder));
        Assert.Equal(DiagnosticCodes.HeldOutImagesInvalid, other.Diagnostic.Code);
        description.RequireFor(manifest with { Id = "SubnetGen.Supernet.A", Version = "2.0.0" }, _folder);

        File.WriteAllText(Path.Combine(_folder, HeldOutImages.FileName), "{\"formatVersion\":1,\"supernet\":\"A\",\"version\":\"1\",\"split\":\"s\",\"images\":0}");
        Assert.Equal(DiagnosticCodes.HeldOutImagesInvalid, Assert.Throws<SubnetGenException>(() => HeldOutImages.Read(_folder)).Diagnostic.Code);
        File.Delete(Path.Combine(_folder, HeldOutImages.FileName));
        Assert.Equal(DiagnosticCodes.HeldOutImagesInvalid, Assert.Throws<SubnetGenException>(() => HeldOutImages.Read(_folder)).Diagnostic.Code);
    }
}
