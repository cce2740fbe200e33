using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;

namespace SubnetGen.Core.Tests.Bundle;

public sealed class PromiseFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sng-promise-" + Guid.NewGuid().ToString("N"));
    private static readonly SupernetSpec Spec = DefaultSupernets.FashionMnist(Family.CompOfa);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>Every config of the CompOFA space with a count that differs per config.</summary>
    private static PromiseFile Every(int images = 2000) => new(images, "validation 3000–4999",
        Spec.Space.Enumerate(Spec.Stages.Count).Select((c, i) => (c.ToString(), 1700 + i)).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal));

    private static SubnetGenException Refused(string json) =>
        Assert.Throws<SubnetGenException>(() => PromiseFile.Parse(Encoding.UTF8.GetBytes(json), "promise.json", Spec));

    [Fact]
    public void ABundleKeepsItsPromiseThroughSaveAndLoad_AndPacksIt()
    {
        var promise = Every();
        var bundle = RandomSupernet.Create(Spec, "Test.Supernet", "0.1.0", 7, Enumerable.Range(0, 10).Select(i => "c" + i).ToArray()).WithPromise(promise);
        string folder = Path.Combine(_root, "bundle");
        bundle.Save(folder);
        Assert.Contains(PromiseFile.FileName, SupernetBundle.OptionalFileNames);

        var loaded = SupernetBundle.Load(folder).Promise!;
        Assert.Equal(2000, loaded.Images);
        Assert.Equal("validation 3000–4999", loaded.Split);
        Assert.Equal(promise.Correct.OrderBy(p => p.Key, StringComparer.Ordinal), loaded.Correct.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(promise.ToJson(), File.ReadAllBytes(Path.Combine(folder, PromiseFile.FileName)));
    }

    [Fact]
    public void Apply_GivesThePickAndEveryFrontPointItsHeldOutAccuracy_AndLeavesThePredictionAlone()
    {
        var promise = Every();
        var predictor = new TablePredictor(Spec.Space.Enumerate(Spec.Stages.Count).ToDictionary(c => c.ToString(), c => 0.5 + c.Stages.Sum(s => s.Count) / 100.0, StringComparer.Ordinal));
        var result = SubnetSearch.Run(Spec, predictor, new Budget(MaxMacs: 6_000_000), null, SearchOptions.Default);
        var applied = promise.Apply(result);

        Assert.Equal(result.PredictedAccuracy, applied.PredictedAccuracy);
        Assert.Equal((double)promise.Correct[result.Config.ToString()] / 2000, applied.PromisedAccuracy);
        Assert.Null(promise.Correction);
        Assert.Equal(AccuracyPromise.FromCount(promise.Correct[result.Config.ToString()], 2000), applied.Promise);
        Assert.NotEmpty(applied.ParetoByMacs);
        Assert.All(applied.ParetoByMacs.Concat(applied.ParetoByPeakMemory).Concat(applied.ParetoByWeights), p =>
            Assert.Equal((double)promise.Correct[p.Config.ToString()] / 2000, p.PromisedAccuracy));
    }

    [Fact]
    public void ACorrection_PromisesThePredictionLessTheOffset_WithAPredictionInterval_AndRoundTrips()
    {
        var file = PromiseFile.Parse(Encoding.UTF8.GetBytes(
            """{ "formatVersion": 1, "images": 2000, "split": "x", "correction": { "offset": 0.01, "standardDeviation": 0.005, "subnets": 15 } }"""), "promise.json", Spec);
        Assert.Equal(new PromiseCorrection(0.01, 0.005, 15), file.Correction);
        Assert.Equal(file.ToJson(), PromiseFile.Parse(file.ToJson(), "promise.json", Spec).ToJson());

        var predictor = new TablePredictor(Spec.Space.Enumerate(Spec.Stages.Count).ToDictionary(c => c.ToString(), c => 0.9 + c.Stages.Sum(s => s.Count) / 1000.0, StringComparer.Ordinal));
        var applied = file.Apply(SubnetSearch.Run(Spec, predictor, Budget.Unconstrained, null, SearchOptions.Default));
        var promise = applied.Promise!;
        Assert.Equal(applied.PredictedAccuracy - 0.01, promise.Accuracy, 12);
        double a = promise.Accuracy;
        double half = AccuracyPromise.Z95 * Math.Sqrt(0.005 * 0.005 * (1 + 1.0 / 15) + a * (1 - a) / 2000);
        Assert.Equal(promise.Accuracy - half, promise.Lower, 12);
        Assert.Equal(promise.Accuracy + half, promise.Upper, 12);
        Assert.All(applied.ParetoByMacs, p => Assert.Equal(p.PredictedAccuracy - 0.01, p.PromisedAccuracy, 12));
    }

    [Fact]
    public void CountsAndACorrectionTogetherAreSng4021() =>
        Assert.Contains("both", Refused("""{ "formatVersion": 1, "images": 10, "split": "x", "correct": { }, "correction": { "offset": 0, "standardDeviation": 0, "subnets": 5 } }""").Diagnostic.Message, StringComparison.Ordinal);

    [Fact]
    public void MoreCorrectThanImagesIsSng4021()
    {
        var e = Refused("""{ "formatVersion": 1, "images": 10, "split": "x", "correct": { "k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3": 11 } }""");
        Assert.Equal(DiagnosticCodes.PromiseInvalid, e.Diagnostic.Code);
        Assert.Contains("11 correct of 10 images", e.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("subnetgen-train promise", e.Diagnostic.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfigOutsideTheSpaceIsSng4021()
    {
        var e = Refused("""{ "formatVersion": 1, "images": 10, "split": "x", "correct": { "k9e9,k9e9|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3|k3e3,k3e3": 5 } }""");
        Assert.Equal(DiagnosticCodes.PromiseInvalid, e.Diagnostic.Code);
        Assert.Contains("is not a config of this supernet", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoImagesIsSng4021() =>
        Assert.Equal(DiagnosticCodes.PromiseInvalid, Refused("""{ "formatVersion": 1, "images": 0, "split": "x", "correct": { } }""").Diagnostic.Code);

    [Fact]
    public void ANewerFormatVersionIsTheUnsupportedVersionError() =>
        Assert.Equal(DiagnosticCodes.UnsupportedFormatVersion, Refused("""{ "formatVersion": 2, "images": 10, "split": "x", "correct": { } }""").Diagnostic.Code);
}
