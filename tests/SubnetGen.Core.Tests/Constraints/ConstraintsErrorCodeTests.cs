using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Tests.Constraints;

/// <summary>Every SNG1xxx code, each on a real multi-line document, at the line and column of the offending token.</summary>
public class ConstraintsErrorCodeTests
{
    public static IEnumerable<object[]> Errors()
    {
        // SNG1001: a missing comma; Utf8JsonReader stops at the next key.
        yield return Case(DiagnosticCodes.ConstraintsInvalidJson, ConstraintsText.Edit(
            ("\"namespace\": \"MyApp.Models\",", "\"namespace\": \"MyApp.Models\"\n      §\"extra\": 1,")));
        yield return Case(DiagnosticCodes.ConstraintsInvalidJson, ConstraintsText.Edit(
            ("\"version\": \"1.0.0\"", "§'version': \"1.0.0\"")));
        yield return Case(DiagnosticCodes.ConstraintsRootNotObject, ConstraintsText.Mark("// a list is not enough\n§[\n  { \"name\": \"A\" }\n]\n"));
        yield return Case(DiagnosticCodes.ConstraintsModelsMissing, ConstraintsText.Mark("// nothing yet\n§{\n  \"$schema\": \"x.json\"\n}\n"));
        yield return Case(DiagnosticCodes.ConstraintsModelsMissing, ConstraintsText.Mark("{\n  \"models\":\n    §[\n    ]\n}\n"));
        yield return Case(DiagnosticCodes.ConstraintsUnknownKey, ConstraintsText.Edit(
            ("\"maxPeakMemoryKB\": 128", "§\"maxPeakMemoryKb\": 128")));
        yield return Case(DiagnosticCodes.ConstraintsDuplicateKey, ConstraintsText.Edit(
            ("\"maxWeightsKB\": 1024", "\"maxWeightsKB\": 1024, §\"maxLatencyMs\": 3.0")));
        yield return Case(DiagnosticCodes.ConstraintsWrongType, ConstraintsText.Edit(
            ("\"maxLatencyMs\": 2.0", "\"maxLatencyMs\": §\"2.0\"")));
        yield return Case(DiagnosticCodes.ConstraintsWrongType, ConstraintsText.Edit(
            ("\"name\": \"FashionClassifier\"", "\"name\": §42")));
        yield return Case(DiagnosticCodes.ConstraintsWrongType, ConstraintsText.Edit(
            ("\"default\": {", "\"default\": §[ {"), ("\"maxWeightsKB\": 1024 }", "\"maxWeightsKB\": 1024 } ]")));
        yield return Case(DiagnosticCodes.ConstraintsWrongType, ConstraintsText.Edit(
            ("\"namespace\": \"MyApp.Models\"", "\"namespace\": §null")));
        yield return Case(DiagnosticCodes.ConstraintsWrongType, ConstraintsText.Mark("{\n  \"models\": §{ \"name\": \"M\" }\n}\n"));
        yield return Case(DiagnosticCodes.ConstraintsRequiredKeyMissing, ConstraintsText.Edit(
            ("\"models\": [\n    {", "\"models\": [\n    §{"), ("\"name\": \"FashionClassifier\",", "")));
        yield return Case(DiagnosticCodes.ConstraintsRequiredKeyMissing, ConstraintsText.Edit(
            ("\"models\": [\n    {", "\"models\": [\n    §{"),
            ("\"supernet\": { \"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\", \"version\": \"1.0.0\" },", "")));
        yield return Case(DiagnosticCodes.ConstraintsRequiredKeyMissing, ConstraintsText.Edit(
            ("\"supernet\": { \"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\", ", "\"supernet\": §{ ")));
        yield return Case(DiagnosticCodes.ConstraintsRequiredKeyMissing, ConstraintsText.Edit(
            ("\"supernet\": { \"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\", \"version\": \"1.0.0\" }",
             "\"supernet\": §{ \"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\" }")));
        yield return Case(DiagnosticCodes.ConstraintsRequiredKeyMissing, ConstraintsText.Mark("""
            {
              "models": [
                §{ "name": "FashionClassifier",
                  "supernet": { "id": "SubnetGen.Supernet.FashionMnist.CompOFA", "version": "1.0.0" } }
              ]
            }
            """));
        yield return Case(DiagnosticCodes.ConstraintsInvalidModelName, ConstraintsText.Edit(
            ("\"name\": \"FashionClassifier\"", "\"name\": §\"fashion-classifier\"")));
        yield return Case(DiagnosticCodes.ConstraintsInvalidNamespace, ConstraintsText.Edit(
            ("\"namespace\": \"MyApp.Models\"", "\"namespace\": §\"MyApp..Models\"")));
        yield return Case(DiagnosticCodes.ConstraintsInvalidSupernetId, ConstraintsText.Edit(
            ("\"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\"", "\"id\": §\"SubnetGen Supernet\"")));
        yield return Case(DiagnosticCodes.ConstraintsInvalidSupernetVersion, ConstraintsText.Edit(
            ("\"version\": \"1.0.0\"", "\"version\": §\"1.*\"")));
        yield return Case(DiagnosticCodes.ConstraintsInvalidSupernetHash, ConstraintsText.Edit(
            ("\"version\": \"1.0.0\"", "\"version\": \"1.0.0\", \"sha512\": §\"not-a-hash\"")));
        yield return Case(DiagnosticCodes.ConstraintsNoTargets, ConstraintsText.Mark("""
            {
              "models": [
                { "name": "FashionClassifier",
                  "supernet": { "id": "SubnetGen.Supernet.FashionMnist.CompOFA", "version": "1.0.0" },
                  "targets": §{ } }
              ]
            }
            """));
        yield return Case(DiagnosticCodes.ConstraintsInvalidTargetName, ConstraintsText.Edit(
            ("\"cortex-a53\":", "§\"cortex a53\":")));
        yield return Case(DiagnosticCodes.ConstraintsBudgetNotPositive, ConstraintsText.Edit(
            ("\"maxPeakMemoryKB\": 256", "\"maxPeakMemoryKB\": §0")));
        yield return Case(DiagnosticCodes.ConstraintsBudgetNotPositive, ConstraintsText.Edit(
            ("\"maxLatencyMs\": 5.0", "\"maxLatencyMs\": §-5.0")));
        yield return Case(DiagnosticCodes.ConstraintsBudgetNotInteger, ConstraintsText.Edit(
            ("\"maxWeightsKB\": 1024", "\"maxWeightsKB\": 1024, \"maxMacs\": §2500000.5")));
        yield return Case(DiagnosticCodes.ConstraintsBudgetOutOfRange, ConstraintsText.Edit(
            ("\"maxWeightsKB\": 1024", "\"maxWeightsKB\": §0.0001")));
        yield return Case(DiagnosticCodes.ConstraintsBudgetOutOfRange, ConstraintsText.Edit(
            ("\"maxWeightsKB\": 1024", "\"maxWeightsKB\": 1024, \"maxParameters\": §1e30")));
        yield return Case(DiagnosticCodes.ConstraintsBudgetOutOfRange, ConstraintsText.Edit(
            ("\"maxLatencyMs\": 5.0", "\"maxLatencyMs\": §1e400")));
        yield return Case(DiagnosticCodes.ConstraintsMinAccuracyOutOfRange, ConstraintsText.Edit(
            ("\"maxWeightsKB\": 1024", "\"maxWeightsKB\": 1024, \"minAccuracy\": §92.5")));
        yield return Case(DiagnosticCodes.ConstraintsMinAccuracyOutOfRange, ConstraintsText.Edit(
            ("\"maxWeightsKB\": 1024", "\"maxWeightsKB\": 1024, \"minAccuracy\": §0")));
        yield return Case(DiagnosticCodes.ConstraintsInvalidLatencyTablePath, ConstraintsText.Edit(
            ("\"latencyTable\": \"devices/a53.json\"", "\"latencyTable\": §\"  \"")));
        yield return Case(DiagnosticCodes.ConstraintsUnknownObjective, ConstraintsText.Edit(
            ("\"maxWeightsKB\": 1024", "\"maxWeightsKB\": 1024, \"minAccuracy\": 0.9, \"minimize\": §\"MACs\"")));
        yield return Case(DiagnosticCodes.ConstraintsObjectiveWithoutMinAccuracy, ConstraintsText.Edit(
            ("\"maxWeightsKB\": 1024", "\"maxWeightsKB\": 1024, §\"minimize\": \"latency\"")));
    }

    public static IEnumerable<object[]> Warnings()
    {
        yield return Case(DiagnosticCodes.ConstraintsTargetWithoutBudget, ConstraintsText.Edit(
            ("\"cortex-a53\": {", "§\"cortex-a53\": {"),
            ("\"latencyTable\": \"devices/a53.json\", \"maxLatencyMs\": 5.0, \"maxPeakMemoryKB\": 128", "\"latencyTable\": \"devices/a53.json\"")));
        yield return Case(DiagnosticCodes.ConstraintsLatencyTableWithoutMaxLatency, ConstraintsText.Edit(
            ("\"latencyTable\": \"devices/a53.json\", \"maxLatencyMs\": 5.0,", "§\"latencyTable\": \"devices/a53.json\",")));
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void ErrorIsReportedAtTheOffendingToken(string code, string text, int line, int column)
    {
        var result = ConstraintsReader.Read(text, ConstraintsText.FilePath);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == code);
        Assert.Equal((line, column), (diagnostic.Line, diagnostic.Column));
        Assert.Equal(ConstraintsText.FilePath, diagnostic.File);
        Assert.False(diagnostic.IsWarning);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Fix));
        Assert.Null(result.Document);
        Assert.True(result.HasErrors);
    }

    [Theory]
    [MemberData(nameof(Warnings))]
    public void WarningIsReportedAndTheDocumentStillReads(string code, string text, int line, int column)
    {
        var result = ConstraintsReader.Read(text, ConstraintsText.FilePath);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.True(diagnostic.IsWarning);
        Assert.Equal((line, column), (diagnostic.Line, diagnostic.Column));
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Fix));
        Assert.False(result.HasErrors);
        Assert.NotNull(result.Document);
    }

    [Fact]
    public void UnknownTargetPointsAtTheTargetsKeyAndListsTheKnownOnes()
    {
        var marked = ConstraintsText.Edit(("\"targets\": {", "§\"targets\": {"));
        var model = ConstraintsReader.Parse(marked.Text, ConstraintsText.FilePath).Models.Single();

        var error = Assert.Throws<SubnetGenException>(() => model.Resolve("cortex-a72")).Diagnostic;

        Assert.Equal(DiagnosticCodes.ConstraintsUnknownTarget, error.Code);
        Assert.Equal((ConstraintsText.FilePath, marked.Line, marked.Column), (error.File, error.Line, error.Column));
        Assert.Contains("cortex-a72", error.Message);
        Assert.Contains("default, cortex-a53", error.Message);
        Assert.Contains("SubnetGenTarget", error.Fix);
    }

    [Fact]
    public void EveryConstraintsCodeHasACase()
    {
        var covered = Errors().Concat(Warnings()).Select(c => (string)c[0])
            .Append(DiagnosticCodes.ConstraintsUnknownTarget)
            .Append(DiagnosticCodes.ConstraintsDuplicateModelName) // ConstraintsReaderTests.DuplicateModelNames…
            .ToHashSet();
        var declared = typeof(DiagnosticCodes).GetFields()
            .Where(f => f.IsLiteral && f.Name.StartsWith("Constraints", System.StringComparison.Ordinal) && ((string)f.GetRawConstantValue()!).StartsWith("SNG1", System.StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!);

        var uncovered = declared.Where(code => !covered.Contains(code)).ToList();

        Assert.Empty(uncovered);
    }

    private static object[] Case(string code, Marked marked) => new object[] { code, marked.Text, marked.Line, marked.Column };
}
