using System.IO;
using System.Linq;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;

namespace SubnetGen.Core.Tests.Constraints;

public class ConstraintsReaderTests
{
    private const long KB = 1024;

    [Fact]
    public void DesignExampleReadsIntoBudgetsInBytes()
    {
        var result = ConstraintsReader.Read(ConstraintsText.Valid, ConstraintsText.FilePath);

        Assert.Empty(result.Diagnostics);
        var model = Assert.Single(result.Document!.Models);
        Assert.Equal("FashionClassifier", model.Name);
        Assert.Equal("MyApp.Models", model.Namespace);
        Assert.Equal(new SupernetReference("SubnetGen.Supernet.FashionMnist.CompOFA", "1.0.0"), model.Supernet);
        Assert.Equal(new[] { "default", "cortex-a53" }, model.Targets.Select(t => t.Name));

        var standard = model.Targets[0];
        Assert.Equal(new Budget(MaxLatencyMs: 2.0, MaxPeakMemoryBytes: 256 * KB, MaxWeightBytes: 1024 * KB), standard.Budget);
        Assert.Null(standard.LatencyTable);
        Assert.Null(standard.LatencyTablePath);

        var a53 = model.Targets[1];
        Assert.Equal(new Budget(MaxLatencyMs: 5.0, MaxPeakMemoryBytes: 128 * KB), a53.Budget);
        Assert.Equal("devices/a53.json", a53.LatencyTable);
        Assert.Equal(Path.GetFullPath(Path.Combine("/src/App", "devices", "a53.json")), a53.LatencyTablePath);
    }

    [Theory]
    [InlineData("256", 262144)]
    [InlineData("0.5", 512)]
    [InlineData("1.5", 1536)]
    [InlineData("0.0015", 1)]        // 1.536 bytes: a maximum rounds down
    [InlineData("2e3", 2048000)]
    public void KilobytesAre1024BytesRoundedDown(string kilobytes, long bytes)
    {
        var doc = ConstraintsText.Edit(("\"maxPeakMemoryKB\": 256", "\"maxPeakMemoryKB\": " + kilobytes + "§"));

        var target = ConstraintsReader.Parse(doc.Text, ConstraintsText.FilePath).Models[0].Resolve(null);

        Assert.Equal(bytes, target.Budget.MaxPeakMemoryBytes);
        Assert.Equal(1024 * KB, target.Budget.MaxWeightBytes);
    }

    [Fact]
    public void CountsAndAccuracyAreRead()
    {
        var doc = ConstraintsText.Edit(("\"maxWeightsKB\": 1024", "\"maxMacs\": 5e6, \"maxParameters\": 200000, \"minAccuracy\": 0.9§"));

        var budget = ConstraintsReader.Parse(doc.Text, ConstraintsText.FilePath).Models[0].Resolve("default").Budget;

        Assert.Equal(5_000_000, budget.MaxMacs);
        Assert.Equal(200_000, budget.MaxParameters);
        Assert.Equal(0.9, budget.MinAccuracy);
        Assert.Null(budget.MaxWeightBytes);
    }

    [Fact]
    public void NamespaceIsOptional()
    {
        var doc = ConstraintsText.Edit(("\"namespace\": \"MyApp.Models\",", "§"));

        Assert.Null(ConstraintsReader.Parse(doc.Text, ConstraintsText.FilePath).Models[0].Namespace);
    }

    [Fact]
    public void TwoErrorsInOneFileAreBothReportedInFileOrder()
    {
        var text = ConstraintsText.Valid
            .Replace("\"version\": \"1.0.0\"", "\"version\": \"1.0\"")
            .Replace("\"maxPeakMemoryKB\": 128", "\"maxPeakMemoryKb\": 128");

        var result = ConstraintsReader.Read(text, ConstraintsText.FilePath);

        Assert.Null(result.Document);
        Assert.Equal(new[] { DiagnosticCodes.ConstraintsInvalidSupernetVersion, DiagnosticCodes.ConstraintsUnknownKey },
            result.Diagnostics.Select(d => d.Code));
        Assert.Equal(new[] { 8, 11 }, result.Diagnostics.Select(d => d.Line));
        Assert.Contains("\"1.0.0\"", result.Diagnostics[0].Fix);
        Assert.Contains("did you mean maxPeakMemoryKB?", result.Diagnostics[1].Fix);
    }

    [Fact]
    public void ErrorsInSeveralModelsAndLevelsAreAllCollected()
    {
        var text = ConstraintsText.Lf("""
            {
              "models": [
                { "name": "class", "supernet": { "id": "A.B", "version": "1.0.0" }, "targets": { "default": { "maxLatencyMs": -1 } } },
                { "name": "Other", "supernet": { "id": "A.B", "version": "1.0.0", "extra": true }, "targets": { "default": { "maxMacs": "many" } } },
                { "name": "Other", "supernet": { "id": "A.B", "version": "1.0.0" }, "targets": { "default": { "minAccuracy": 1.5 } } }
              ],
              "model": {}
            }
            """);

        var codes = ConstraintsReader.Read(text, ConstraintsText.FilePath).Diagnostics.Select(d => (d.Code, d.Line)).ToList();

        Assert.Equal(new[]
        {
            (DiagnosticCodes.ConstraintsInvalidModelName, 3),
            (DiagnosticCodes.ConstraintsBudgetNotPositive, 3),
            (DiagnosticCodes.ConstraintsUnknownKey, 4),
            (DiagnosticCodes.ConstraintsWrongType, 4),
            (DiagnosticCodes.ConstraintsDuplicateModelName, 5),
            (DiagnosticCodes.ConstraintsMinAccuracyOutOfRange, 5),
            (DiagnosticCodes.ConstraintsUnknownKey, 7),
        }, codes);
    }

    [Fact]
    public void DuplicateModelNamesPointAtTheSecondAndNameTheFirstLine()
    {
        var doc = ConstraintsText.Mark("""
            {
              "models": [
                { "name": "Classifier",
                  "supernet": { "id": "A.B", "version": "1.0.0" }, "targets": { "default": { "maxLatencyMs": 1 } } },
                { "name": §"Classifier",
                  "supernet": { "id": "A.C", "version": "1.0.0" }, "targets": { "default": { "maxLatencyMs": 1 } } },
                { "name": "classifier",
                  "supernet": { "id": "A.C", "version": "1.0.0" }, "targets": { "default": { "maxLatencyMs": 1 } } }
              ]
            }
            """);

        var result = ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath);

        var duplicate = Assert.Single(result.Diagnostics); // names compare ordinally: "classifier" is another name
        Assert.Equal(DiagnosticCodes.ConstraintsDuplicateModelName, duplicate.Code);
        Assert.Equal((doc.Line, doc.Column), (duplicate.Line, duplicate.Column));
        Assert.Contains("line 3", duplicate.Message);
        Assert.Null(result.Document);
    }

    [Fact]
    public void ParseThrowsTheFirstErrorAndIgnoresWarnings()
    {
        var broken = ConstraintsText.Valid.Replace("\"maxLatencyMs\": 5.0", "\"maxLatencyMs\": 0").Replace("\"maxLatencyMs\": 2.0", "\"maxLatencyMs\": \"fast\"");
        var error = Assert.Throws<SubnetGenException>(() => ConstraintsReader.Parse(broken, ConstraintsText.FilePath)).Diagnostic;
        Assert.Equal((DiagnosticCodes.ConstraintsWrongType, 10), (error.Code, error.Line));

        var warnedOnly = ConstraintsText.Valid.Replace("\"maxLatencyMs\": 5.0, ", "");
        Assert.Single(ConstraintsReader.Read(warnedOnly, ConstraintsText.FilePath).Warnings);
        Assert.Equal(2, ConstraintsReader.Parse(warnedOnly, ConstraintsText.FilePath).Models[0].Targets.Count);
    }

    [Fact]
    public void ColumnsCountCharactersNotBytesAndTabsAsOne()
    {
        // 'é' is 2 UTF-8 bytes, '😀' 4 bytes (a surrogate pair: 2 UTF-16 characters), '\t' one character.
        string text = "{\r\n\t\"models\": [ { \"name\": \"Caf\u00e9\ud83d\ude00\", \"bogus\": 1 } ]\r\n}";

        var diagnostics = ConstraintsReader.Read(text, ConstraintsText.FilePath).Diagnostics;

        var invalidName = diagnostics.Single(d => d.Code == DiagnosticCodes.ConstraintsInvalidModelName);
        var unknown = diagnostics.Single(d => d.Code == DiagnosticCodes.ConstraintsUnknownKey);
        Assert.Equal((2, 24), (invalidName.Line, invalidName.Column));
        Assert.Equal((2, 34), (unknown.Line, unknown.Column));
    }

    [Fact]
    public void InvalidJsonPositionCountsCharactersAfterMultiByteText()
    {
        var doc = ConstraintsText.Edit(("\"namespace\": \"MyApp.Models\",", "\"namespace\": \"Caf\u00e9\u00e9\" §\"oops\": 1,"));

        var diagnostic = Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsInvalidJson, diagnostic.Code);
        Assert.Equal((doc.Line, doc.Column), (diagnostic.Line, diagnostic.Column));
        Assert.DoesNotContain("BytePositionInLine", diagnostic.Message);
    }

    [Fact]
    public void ByteOrderMarkIsIgnored()
    {
        var result = ConstraintsReader.Read("\uFEFF" + ConstraintsText.Valid, ConstraintsText.FilePath);

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Document);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  // only a comment\n")]
    public void EmptyFileIsInvalidJson(string text)
    {
        var diagnostic = Assert.Single(ConstraintsReader.Read(text, ConstraintsText.FilePath).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsInvalidJson, diagnostic.Code);
        Assert.Contains("\"models\"", diagnostic.Fix);
    }

    [Theory]
    [InlineData("\"maxPeakMemoryKb\"", "did you mean maxPeakMemoryKB?")]
    [InlineData("\"MaxLatencyMS\"", "did you mean maxLatencyMs?")]
    [InlineData("\"version\"", "belongs in \"supernet\"")]
    [InlineData("\"colour\"", "allows: maxLatencyMs, maxPeakMemoryKB, maxWeightsKB, maxMacs, maxParameters, minAccuracy, latencyTable")]
    public void UnknownKeySuggestsWhatToWrite(string key, string fix)
    {
        var doc = ConstraintsText.Edit(("\"maxWeightsKB\": 1024", "§" + key + ": 1"));

        var diagnostic = Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsUnknownKey, diagnostic.Code);
        Assert.Equal((doc.Line, doc.Column), (diagnostic.Line, diagnostic.Column));
        Assert.Contains(fix, diagnostic.Fix);
    }

    [Fact]
    public void MisspeltOnlyBudgetIsOneErrorWithoutTheNoBudgetWarning()
    {
        var doc = ConstraintsText.Edit(("\"maxLatencyMs\": 2.0, \"maxPeakMemoryKB\": 256, \"maxWeightsKB\": 1024", "§\"maxLatencyMS\": 2.0"));

        var diagnostic = Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsUnknownKey, diagnostic.Code);
        Assert.Equal((doc.Line, doc.Column), (diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void BudgetPlacedInTheModelIsToldToMoveIntoATarget()
    {
        var doc = ConstraintsText.Edit(("\"namespace\": \"MyApp.Models\",", "§\"maxLatencyMs\": 2.0,"));

        var diagnostic = Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics);

        Assert.Contains("belongs in a target", diagnostic.Fix);
    }

    [Theory]
    [InlineData("\"fashion-classifier\"", "FashionClassifier")]
    [InlineData("\"2fast\"", "_2fast")]
    [InlineData("\"class\"", "Class")]
    [InlineData("\"my model v2\"", "MyModelV2")]
    public void InvalidModelNameSuggestsAnIdentifier(string name, string suggestion)
    {
        var doc = ConstraintsText.Edit(("\"name\": \"FashionClassifier\"", "\"name\": §" + name));

        var diagnostic = Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsInvalidModelName, diagnostic.Code);
        Assert.Contains($"\"name\": \"{suggestion}\"", diagnostic.Fix);
    }

    [Theory]
    [InlineData("\"My App..Models\"", "MyApp.Models")]
    [InlineData("\"MyApp.namespace\"", "MyApp.Namespace")]
    [InlineData("\"MyApp.\"", "MyApp")]
    public void InvalidNamespaceSuggestsADottedName(string ns, string suggestion)
    {
        var doc = ConstraintsText.Edit(("\"namespace\": \"MyApp.Models\"", "\"namespace\": §" + ns));

        var diagnostic = Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsInvalidNamespace, diagnostic.Code);
        Assert.Contains($"\"namespace\": \"{suggestion}\"", diagnostic.Fix);
    }

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("0.1.0", true)]
    [InlineData("1.1.0-beta.1", true)]
    [InlineData("10.20.30-rc-2", true)]
    [InlineData("1.0", false)]
    [InlineData("v1.2.3", false)]
    [InlineData("1.*", false)]
    [InlineData("[1.0.0,2.0.0)", false)]
    [InlineData("1.0.0.1", false)]
    [InlineData("1.0.0-", false)]
    [InlineData("99999999999.0.0", false)]
    [InlineData("", false)]
    public void SupernetVersionMustBeExact(string version, bool valid)
    {
        var doc = ConstraintsText.Edit(("\"version\": \"1.0.0\"", $"\"version\": §\"{version}\""));

        var result = ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath);

        Assert.Equal(valid, result.Document is not null);
        if (valid) Assert.Equal(version, result.Document!.Models[0].Supernet.Version);
        else Assert.Equal(DiagnosticCodes.ConstraintsInvalidSupernetVersion, Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("1.0", "\"version\": \"1.0.0\"")]
    [InlineData("v1.2.3", "\"version\": \"1.2.3\"")]
    [InlineData("2", "\"version\": \"2.0.0\"")]
    [InlineData("1.*", "floating versions")]
    public void InvalidVersionFixSaysWhatToWrite(string version, string fix)
    {
        var doc = ConstraintsText.Edit(("\"version\": \"1.0.0\"", $"\"version\": §\"{version}\""));

        Assert.Contains(fix, Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics).Fix);
    }

    [Fact]
    public void NumberInQuotesIsToldToDropTheQuotes()
    {
        var doc = ConstraintsText.Edit(("\"maxLatencyMs\": 2.0", "\"maxLatencyMs\": §\"2.5\""));

        var diagnostic = Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics);

        Assert.Equal("write \"maxLatencyMs\": 2.5 (a number, without quotes).", diagnostic.Fix);
    }

    [Fact]
    public void PercentageAccuracyIsToldToWriteAFraction()
    {
        var doc = ConstraintsText.Edit(("\"maxWeightsKB\": 1024", "\"minAccuracy\": §90"));

        Assert.Contains("\"minAccuracy\": 0.9 ", Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics).Fix);
    }

    [Fact]
    public void LatencyTableResolvesAgainstTheConstraintsFolderWithEitherSeparator()
    {
        var doc = ConstraintsText.Edit(("\"devices/a53.json\"", "\"..\\\\shared\\\\devices/a53.json\"§"));

        var target = ConstraintsReader.Parse(doc.Text, "/src/App/config/constraints.json").Models[0].Resolve("cortex-a53");

        Assert.Equal("..\\shared\\devices/a53.json", target.LatencyTable);
        Assert.Equal(Path.GetFullPath(Path.Combine("/src/App", "shared", "devices", "a53.json")), target.LatencyTablePath);
    }

    [Fact]
    public void SampleAppConstraintsAreValid()
    {
        string file = Path.Combine(RepoRoot.Path, "sample-app", "constraints.json");

        var result = ConstraintsReader.Read(File.ReadAllText(file), file);

        Assert.Empty(result.Diagnostics);
        Assert.NotEmpty(result.Document!.Models);
    }
}
