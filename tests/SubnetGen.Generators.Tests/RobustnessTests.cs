using System;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using SubnetGen.Generators.Tests.Infrastructure;

namespace SubnetGen.Generators.Tests;

/// <summary>Damaged artifacts never crash the generator: each gives a diagnostic, or code that compiles.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public void TruncatedArtifactsGiveDiagnosticsNotCrashes()
    {
        string json = Artifacts.Small.Json;
        for (int length = 0; length < json.Length - 2; length += json.Length / 37)
        {
            // GeneratorHarness.Run fails the test if the generator throws.
            var run = GeneratorHarness.Run(json.Substring(0, length));
            Assert.True(run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), $"no error for the first {length} characters");
            Assert.Empty(run.Result.GeneratedTrees);
        }
    }

    [Fact]
    public void RandomlyEditedArtifactsGiveADiagnosticOrCodeThatCompiles()
    {
        string json = Artifacts.Small.Json;
        var random = new Random(1234);
        const string alphabet = "0123456789-.eE\"{}[],:ntfabcxyz \\";
        int compiled = 0, rejected = 0;
        for (int i = 0; i < 60; i++)
        {
            var text = new StringBuilder(json);
            for (int edits = 1 + random.Next(3); edits > 0; edits--)
                text[random.Next(text.Length)] = alphabet[random.Next(alphabet.Length)];

            var run = GeneratorHarness.Run(text.ToString());
            if (run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                Assert.Empty(run.Result.GeneratedTrees);
                rejected++;
            }
            else
            {
                Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
                compiled++;
            }
        }
        Assert.True(rejected > 0 && compiled + rejected == 60);
    }
}
