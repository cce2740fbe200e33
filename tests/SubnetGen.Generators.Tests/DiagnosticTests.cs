using System;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using SubnetGen.Generators.Tests.Infrastructure;

namespace SubnetGen.Generators.Tests;

/// <summary>Each bad artifact gives its own SNG5xxx error pointing into the file, and no class and no crash.</summary>
public sealed class DiagnosticTests
{
    private static Diagnostic SingleError(string json, string? rootNamespace = "App")
    {
        var run = GeneratorHarness.Run(json, rootNamespace);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Empty(run.Result.GeneratedTrees);
        return diagnostic;
    }

    /// <summary>The text the diagnostic's location covers.</summary>
    private static string Located(Diagnostic diagnostic, string json)
    {
        Assert.Equal(GeneratorHarness.ArtifactPath, diagnostic.Location.GetLineSpan().Path);
        return json.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
    }

    [Fact]
    public void MalformedJsonNamesLineAndColumn()
    {
        string json = "{\n  \"formatVersion\": 1,\n  \"name\": \"X\",,\n}";
        var d = SingleError(json);

        Assert.Equal("SNG5001", d.Id);
        var position = d.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((2, 14), (position.Line, position.Character));
        Assert.Contains("line 3, column 15", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"formatVersion\": 1,}")]
    [InlineData("{\"formatVersion\": 1} // comment")]
    [InlineData("[1, 2")]
    [InlineData("{\"formatVersion\": 01}")]
    public void NonStrictOrTruncatedJsonIsSng5001(string json) => Assert.Equal("SNG5001", SingleError(json).Id);

    [Fact]
    public void UnknownFormatVersionIsSng5002()
    {
        string json = Artifacts.Edited(root => root["formatVersion"] = 2);
        var d = SingleError(json);

        Assert.Equal("SNG5002", d.Id);
        Assert.Contains("formatVersion 2", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("2", Located(d, json));
    }

    [Fact]
    public void MissingFormatVersionIsSng5002() =>
        Assert.Equal("SNG5002", SingleError(Artifacts.Edited(root => root.Remove("formatVersion"))).Id);

    [Fact]
    public void MissingFieldIsSng5003NamingIt()
    {
        var d = SingleError(Artifacts.Edited(root => root["input"]!.AsObject().Remove("height")));

        Assert.Equal("SNG5003", d.Id);
        Assert.Contains("\"input.height\" is missing", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void WrongTypeIsSng5003()
    {
        string json = Artifacts.Edited(root => root["arenaFloats"] = "lots");
        var d = SingleError(json);

        Assert.Equal("SNG5003", d.Id);
        Assert.Equal("\"lots\"", Located(d, json));
    }

    [Fact]
    public void AnAccuracyIntervalOutsideZeroToOneIsSng5003AtTheBound()
    {
        string json = Artifacts.Edited(root => root["metrics"]!["accuracyInterval"] = JsonNode.Parse("""{ "lower": 0.9, "upper": 1.5, "confidence": 0.95, "images": 2000 }"""));
        var d = SingleError(json);

        Assert.Equal("SNG5003", d.Id);
        Assert.Contains("\"metrics.accuracyInterval.upper\" is 1.5", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("1.5", Located(d, json));
    }

    [Fact]
    public void AnAccuracyIntervalWithLowerAboveUpperIsAnError() =>
        Assert.Contains("is above", SingleError(Artifacts.Edited(root => root["metrics"]!["accuracyInterval"] =
            JsonNode.Parse("""{ "lower": 0.95, "upper": 0.9, "confidence": 0.95, "images": 2000 }"""))).GetMessage(), StringComparison.Ordinal);

    [Fact]
    public void UnknownOpIsSng5004AtTheOp()
    {
        string json = Artifacts.Edited(root => Artifacts.Layer(root, "globalAveragePool")["op"] = "maxPool");
        var d = SingleError(json);

        Assert.Equal("SNG5004", d.Id);
        Assert.Contains("'maxPool'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("\"maxPool\"", Located(d, json));
        Assert.True(d.Location.GetLineSpan().StartLinePosition.Line > 10);
    }

    [Fact]
    public void UnknownActivationIsSng5005() =>
        Assert.Equal("SNG5005", SingleError(Artifacts.Edited(root => Artifacts.Layer(root, "conv")["activation"] = "gelu")).Id);

    [Fact]
    public void WeightSliceBeyondWeightFloatsIsSng5006()
    {
        var d = SingleError(Artifacts.Edited(root =>
        {
            var last = root["layers"]!.AsArray().Select(l => l!.AsObject()).Last(l => l["bias"] is not null);
            last["bias"]!["offset"] = (int)root["weightFloats"]!;
        }));

        Assert.Equal("SNG5006", d.Id);
        Assert.Contains("weights (weightFloats)", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ArenaSliceBeyondArenaFloatsIsSng5006()
    {
        var d = SingleError(Artifacts.Edited(root =>
        {
            var conv = Artifacts.Layer(root, "conv");
            conv["output"]!["offset"] = (int)root["arenaFloats"]! - 1;
        }));

        Assert.Equal("SNG5006", d.Id);
        Assert.Contains("arena (arenaFloats)", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weightLength")]
    [InlineData("bufferLength")]
    [InlineData("stride")]
    [InlineData("peakMemory")]
    [InlineData("weightBytes")]
    [InlineData("meanCount")]
    [InlineData("overlap")]
    [InlineData("seScratch")]
    [InlineData("softmaxClasses")]
    public void InconsistentSizesAreSng5007(string what)
    {
        string json = Artifacts.Edited(root =>
        {
            switch (what)
            {
                case "weightLength": Artifacts.Layer(root, "pointwise")["weights"]!["length"] = 5; break;
                case "bufferLength": Artifacts.Layer(root, "depthwise")["output"]!["length"] = 3; break;
                case "stride": Artifacts.Layer(root, "conv")["stride"] = 2; break;
                case "peakMemory": root["metrics"]!["peakMemoryBytes"] = 4; break;
                case "weightBytes": root["metrics"]!["weightBytes"] = 8; break;
                case "meanCount": root["input"]!["mean"] = new JsonArray(0.1, 0.2); break;
                case "overlap":
                    // The first depthwise keeps its shape (stride 1): writing over its own input fits the arena but is wrong.
                    var dw = Artifacts.Layer(root, "depthwise");
                    dw["output"] = dw["input"]!.DeepClone();
                    break;
                case "seScratch": Artifacts.Layer(root, "squeezeExcite")["scratch"]!["length"] = 1; break;
                case "softmaxClasses": root["labels"]!.AsArray().RemoveAt(9); break;
            }
        });
        Assert.Equal("SNG5007", SingleError(json).Id);
    }

    [Fact]
    public void LayersNotStartingWithNormalizeAreSng5008() =>
        Assert.Equal("SNG5008", SingleError(Artifacts.Edited(root => root["layers"]!.AsArray().RemoveAt(0))).Id);

    [Fact]
    public void NullOutputBeforeTheLastLayerIsSng5008() =>
        Assert.Equal("SNG5008", SingleError(Artifacts.Edited(root => Artifacts.Layer(root, "linear")["output"] = null)).Id);

    [Fact]
    public void LabelWithoutLettersIsSng5009()
    {
        var d = SingleError(Artifacts.Edited(root => root["labels"]![4] = "???"));

        Assert.Equal("SNG5009", d.Id);
        Assert.Contains("\"???\"", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsGivingTheSameIdentifierAreSng5010()
    {
        var d = SingleError(Artifacts.Edited(root => root["labels"]![9] = "t shirt top"));

        Assert.Equal("SNG5010", d.Id);
        Assert.Contains("TShirtTop", d.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2Fast")]
    [InlineData("class")]
    [InlineData("My Model")]
    [InlineData("Labels")]
    public void InvalidModelNameIsSng5011(string name) =>
        Assert.Equal("SNG5011", SingleError(Artifacts.Edited(root => root["name"] = name)).Id);

    [Fact]
    public void InvalidRootNamespaceIsSng5012()
    {
        var d = SingleError(Artifacts.Small.Json, rootNamespace: "My-App");

        Assert.Equal("SNG5012", d.Id);
        Assert.Contains("RootNamespace", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidArtifactNamespaceIsSng5012() =>
        Assert.Equal("SNG5012", SingleError(Artifacts.Edited(root => root["namespace"] = "App..Models")).Id);

    [Fact]
    public void TwoArtifactsForTheSameClassAreSng5013AndTheFirstStillGenerates()
    {
        var run = GeneratorHarness.Run(new[]
        {
            new InMemoryAdditionalText("/project/a/FashionClassifier.subnet.json", Artifacts.Small.Json),
            new InMemoryAdditionalText("/project/b/FashionClassifier.subnet.json", Artifacts.Small.Json),
        });

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("SNG5013", d.Id);
        Assert.Equal("/project/b/FashionClassifier.subnet.json", d.Location.GetLineSpan().Path);
        Assert.Single(run.Result.GeneratedTrees);
    }

    [Fact]
    public void EveryDescriptorIsAnErrorInTheReservedRangeAndDocumented()
    {
        var descriptors = typeof(DiagnosticDescriptors).GetFields()
            .Select(f => (Microsoft.CodeAnalysis.DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();
        string docs = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "docs", "errors", "generator.md"));

        Assert.Equal(descriptors.Length, descriptors.Select(d => d.Id).Distinct().Count());
        foreach (var d in descriptors)
        {
            Assert.Matches("^SNG5[0-9]{3}$", d.Id);
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Contains("## " + d.Id, docs, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "SubnetGen.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SubnetGen.sln not found above " + AppContext.BaseDirectory);
    }
}
