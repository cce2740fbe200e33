using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Xml.Linq;
using SubnetGen.Cli.Commands;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.Pipeline;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// The pipeline with an output folder writes <c>.pareto.json</c> and <c>.pareto.html</c> beside <c>.pareto.md</c>, and the
/// summary line names the page. Runs the pipeline in-process on a random CompOFA bundle: no packing, no MSBuild.
/// </summary>
public sealed class ParetoFilesTests : IDisposable
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-pareto-" + Guid.NewGuid().ToString("N"));

    public ParetoFilesTests()
    {
        RandomSupernet.Create(DefaultSupernets.FashionMnist(Family.CompOfa), "SubnetGen.Supernet.Test.CompOFA", "0.1.0", 42,
            MakeTestSupernetCommand.FashionMnistLabels).Save(Path.Combine(_folder, "bundle"));
        // A latency budget makes the search estimate latency, so there is a fourth front and plot.
        File.WriteAllText(Path.Combine(_folder, "constraints.json"), """
            { "models": [ { "name": "FashionClassifier",
                "supernet": { "id": "SubnetGen.Supernet.Test.CompOFA", "version": "0.1.0" },
                "targets": { "default": { "maxMacs": 6000000, "maxPeakMemoryKB": 250, "maxLatencyMs": 100 } } } ] }
            """);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private sealed class RecordingLog : IPipelineLog
    {
        public List<string> Messages { get; } = new();
        public void Message(LogImportance importance, string text) => Messages.Add(text);
        public void Report(Diagnostic diagnostic) => throw new InvalidOperationException(diagnostic.ToString());
    }

    private (ModelOutcome Model, string Summary) Run(string? output)
    {
        var log = new RecordingLog();
        string constraints = Path.Combine(_folder, "constraints.json");
        var outcome = new ModelPipeline(log, CancellationToken.None).Run(new PipelineRequest(constraints, _folder)
        {
            BundleFolder = Path.Combine(_folder, "bundle"),
            OutputDirectory = output,
        });
        Assert.True(outcome.Succeeded);
        return (Assert.Single(outcome.Models), Assert.Single(log.Messages, m => m.StartsWith("SubnetGen: FashionClassifier [default] k", StringComparison.Ordinal)));
    }

    [Fact]
    public void AnOutputFolder_GetsTheJsonAndThePage_AndTheSummaryNamesThePage()
    {
        string output = Path.Combine(_folder, "out");
        var (model, summary) = Run(output);
        var result = model.Result;
        string page = Path.Combine(output, "FashionClassifier.pareto.html");
        foreach (string file in new[] { "FashionClassifier.pareto.md", "FashionClassifier.pareto.json", "FashionClassifier.pareto.html" })
            Assert.True(File.Exists(Path.Combine(output, file)), file + " was not written");
        Assert.EndsWith("; front: " + page, summary);
        Assert.Contains("UNTRAINED supernet: predictions are meaningless)", summary);

        // The JSON: the pick, the budget in the keys' units, and every front point.
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "FashionClassifier.pareto.json"))))
        {
            var root = json.RootElement;
            Assert.Equal(ParetoJson.FormatVersion, root.GetProperty("formatVersion").GetInt32());
            Assert.Equal("FashionClassifier", root.GetProperty("model").GetString());
            Assert.Equal("default", root.GetProperty("target").GetString());
            Assert.Equal("SubnetGen.Supernet.Test.CompOFA", root.GetProperty("supernet").GetProperty("id").GetString());
            Assert.Equal("0.1.0", root.GetProperty("supernet").GetProperty("version").GetString());
            Assert.Equal("exhaustive", root.GetProperty("method").GetString());
            Assert.Equal(243, root.GetProperty("evaluated").GetInt64());
            Assert.Equal(new[] { "maxLatencyMs", "maxPeakMemoryKB", "maxMacs" }, root.GetProperty("budget").EnumerateObject().Select(p => p.Name));
            Assert.Equal(250, root.GetProperty("budget").GetProperty("maxPeakMemoryKB").GetDouble());
            Assert.Equal(6_000_000, root.GetProperty("budget").GetProperty("maxMacs").GetDouble());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("minimize").ValueKind);
            Assert.Equal("UNTRAINED supernet: predictions are meaningless", root.GetProperty("caveat").GetString());

            var pick = root.GetProperty("pick");
            Assert.Equal(result.Config.ToString(), pick.GetProperty("config").GetString());
            Assert.Equal(result.PredictedAccuracy, pick.GetProperty("predictedAccuracy").GetDouble());
            Assert.Equal(result.Cost.Macs, pick.GetProperty("macs").GetInt64());
            Assert.Equal(result.Cost.PeakMemoryBytes, pick.GetProperty("peakMemoryBytes").GetInt64());
            Assert.Equal(result.Cost.WeightBytes, pick.GetProperty("weightBytes").GetInt64());
            Assert.Equal(result.LatencyMs, pick.GetProperty("latencyMs").GetDouble());

            var fronts = root.GetProperty("fronts");
            Assert.Equal(new[] { "macs", "peakMemory", "weights", "latency" }, fronts.EnumerateObject().Select(p => p.Name));
            Assert.Equal(result.ParetoByMacs.Count, fronts.GetProperty("macs").GetArrayLength());
            Assert.Equal(result.ParetoByPeakMemory.Count, fronts.GetProperty("peakMemory").GetArrayLength());
            Assert.Equal(result.ParetoByWeights.Count, fronts.GetProperty("weights").GetArrayLength());
            Assert.Equal(result.ParetoByLatency.Count, fronts.GetProperty("latency").GetArrayLength());
            Assert.NotEmpty(result.ParetoByLatency);
            Assert.Equal(result.ParetoByWeights.Select(p => p.Config.ToString()), fronts.GetProperty("weights").EnumerateArray().Select(p => p.GetProperty("config").GetString()));
            Assert.Equal(new[] { "config", "predictedAccuracy", "macs", "peakMemoryBytes", "weightBytes", "latencyMs" },
                fronts.GetProperty("macs")[0].EnumerateObject().Select(p => p.Name));
        }

        // The page: XHTML that parses, one plot per front, one marker per point, the pick and the budgets drawn.
        string html = File.ReadAllText(page);
        Assert.StartsWith("<!DOCTYPE html>\n", html);
        var body = XDocument.Parse(html.Substring("<!DOCTYPE html>\n".Length)).Root!.Element(Xhtml + "body")!;
        var plots = body.Descendants(Svg + "svg").ToList();
        Assert.Equal(4, plots.Count);
        var expected = new[] { result.ParetoByMacs, result.ParetoByPeakMemory, result.ParetoByWeights, result.ParetoByLatency };
        for (int i = 0; i < plots.Count; i++)
        {
            Assert.Equal(expected[i].Count, plots[i].Descendants(Svg + "circle").Count(c => (string?)c.Attribute("class") == "point"));
            Assert.Single(plots[i].Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "pick");
        }
        var budgetLabels = plots.SelectMany(p => p.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "budget")).Select(g => g.Element(Svg + "text")!.Value).ToList();
        Assert.Equal(new[] { "maxMacs ≤ 6,000,000", "maxPeakMemoryKB ≤ 250 KB", "maxLatencyMs ≤ 100.0 ms" }, budgetLabels);
        Assert.Contains("UNTRAINED supernet", body.Elements(Xhtml + "p").First().Value);
        var chosenRow = Assert.Single(body.Descendants(Xhtml + "tr"), r => (string?)r.Attribute("class") == "pick");
        Assert.Equal(result.Config.ToString(), chosenRow.Descendants(Xhtml + "code").Single().Value);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void APromiseFile_MakesTheBuildPromiseTheHeldOutAccuracy_WithItsInterval_InEveryOutput()
    {
        // Held-out counts that disagree with the table, so a file showing the table's value would fail.
        string bundle = Path.Combine(_folder, "bundle");
        var spec = SupernetBundle.Load(bundle).Spec;
        var counts = spec.Space.Enumerate(spec.Stages.Count).Select((c, i) => (c.ToString(), 1500 + i)).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        new PromiseFile(2000, "test split", counts).Write(Path.Combine(bundle, PromiseFile.FileName));
        string output = Path.Combine(_folder, "out");

        var (model, summary) = Run(output);
        var result = model.Result;
        var promise = result.Promise!;
        Assert.Equal(AccuracyPromise.FromCount(counts[result.Config.ToString()], 2000), promise);
        Assert.Contains("predicted accuracy " + SizeText.Percent(promise.Accuracy) + " (95 % interval ", summary, StringComparison.Ordinal);
        Assert.Contains(", 2,000 held-out images)", summary, StringComparison.Ordinal);

        using (var artifact = JsonDocument.Parse(File.ReadAllText(model.ArtifactPath!)))
        {
            var metrics = artifact.RootElement.GetProperty("metrics");
            Assert.Equal(promise.Accuracy, metrics.GetProperty("predictedAccuracy").GetDouble());
            var interval = metrics.GetProperty("accuracyInterval");
            Assert.Equal(promise.Lower, interval.GetProperty("lower").GetDouble());
            Assert.Equal(promise.Upper, interval.GetProperty("upper").GetDouble());
            Assert.Equal(0.95, interval.GetProperty("confidence").GetDouble());
            Assert.Equal(2000, interval.GetProperty("images").GetInt32());
        }
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "FashionClassifier.pareto.json"))))
        {
            var pick = json.RootElement.GetProperty("pick");
            Assert.Equal(result.PredictedAccuracy, pick.GetProperty("predictedAccuracy").GetDouble());
            Assert.Equal(promise.Accuracy, pick.GetProperty("heldOut").GetProperty("accuracy").GetDouble());
            foreach (var point in json.RootElement.GetProperty("fronts").GetProperty("macs").EnumerateArray())
                Assert.Equal(counts[point.GetProperty("config").GetString()!] / 2000.0, point.GetProperty("heldOut").GetProperty("accuracy").GetDouble());
        }
        // The page draws one interval bar per front point and one for the pick, in each plot.
        string html = File.ReadAllText(Path.Combine(output, "FashionClassifier.pareto.html"));
        var plots = XDocument.Parse(html.Substring("<!DOCTYPE html>\n".Length)).Root!.Descendants(Svg + "svg").ToList();
        var fronts = new[] { result.ParetoByMacs, result.ParetoByPeakMemory, result.ParetoByWeights, result.ParetoByLatency };
        for (int i = 0; i < plots.Count; i++)
            Assert.Equal(fronts[i].Count + 1, plots[i].Descendants(Svg + "line").Count(l => (string?)l.Attribute("class") == "interval"));
        Assert.Contains("held-out accuracy (%), 95 % interval", html, StringComparison.Ordinal);
    }

    [Fact]
    public void APromiseBelowMinAccuracy_IsWarningSng3006AtTheFloor_AndTheBuildStillSucceeds()
    {
        string bundle = Path.Combine(_folder, "bundle");
        var spec = SupernetBundle.Load(bundle).Spec;
        new PromiseFile(2000, "test split", spec.Space.Enumerate(spec.Stages.Count).ToDictionary(c => c.ToString(), _ => 100, StringComparer.Ordinal))
            .Write(Path.Combine(bundle, PromiseFile.FileName));
        string constraints = Path.Combine(_folder, "floor.json");
        File.WriteAllText(constraints, """
            { "models": [ { "name": "FashionClassifier",
                "supernet": { "id": "SubnetGen.Supernet.Test.CompOFA", "version": "0.1.0" },
                "targets": { "default": { "maxMacs": 6000000,
                  "minAccuracy": 0.1 } } } ] }
            """);
        var diagnostics = new List<Diagnostic>();
        var outcome = new ModelPipeline(new WarningLog(diagnostics), CancellationToken.None).Run(new PipelineRequest(constraints, _folder) { BundleFolder = bundle });

        Assert.True(outcome.Succeeded);
        var warning = Assert.Single(diagnostics);
        Assert.True(warning.IsWarning);
        Assert.Equal(DiagnosticCodes.PromiseBelowMinimum, warning.Code);
        Assert.Equal((constraints, 4, 7), (warning.File, warning.Line, warning.Column));
        Assert.Contains("but its held-out accuracy is 5.0 % (95 % interval 4.1–6.0 %, 2,000 images)", warning.Message, StringComparison.Ordinal);
        Assert.Contains("raise minAccuracy by 5.0 points", warning.Fix, StringComparison.Ordinal);
    }

    private sealed class WarningLog(List<Diagnostic> diagnostics) : IPipelineLog
    {
        public void Message(LogImportance importance, string text) { }
        public void Report(Diagnostic diagnostic) => diagnostics.Add(diagnostic);
    }

    [Fact]
    public void TheSameSearch_WritesTheSameBytes()
    {
        Run(Path.Combine(_folder, "a"));
        Run(Path.Combine(_folder, "b"));
        foreach (string file in new[] { "FashionClassifier.pareto.json", "FashionClassifier.pareto.html" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(_folder, "a", file));
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(_folder, "b", file)));
            string text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain("\r", text);
            Assert.DoesNotContain(" \n", text);
            Assert.EndsWith("\n", text);
        }
    }

    [Fact]
    public void WithoutAnOutputFolder_NothingIsWritten_AndTheSummaryNamesNoPage()
    {
        var (model, summary) = Run(null);
        Assert.Null(model.ArtifactPath);
        Assert.DoesNotContain("; front:", summary);
        Assert.EndsWith("UNTRAINED supernet: predictions are meaningless)", summary);
    }
}
