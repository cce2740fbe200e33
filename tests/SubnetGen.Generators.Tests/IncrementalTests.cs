using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SubnetGen.Generators.Tests.Infrastructure;

namespace SubnetGen.Generators.Tests;

/// <summary>The pipeline's steps are cached: an unchanged artifact is not parsed or emitted again.</summary>
public sealed class IncrementalTests
{
    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void SecondRunWithUnchangedInputsIsCached()
    {
        var text = new InMemoryAdditionalText(GeneratorHarness.ArtifactPath, Artifacts.Small.Json);
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver(new[] { text }).RunGenerators(compilation);
        Assert.All(Reasons(driver, TrackingNames.Source), r => Assert.Equal(IncrementalStepRunReason.New, r));

        driver = driver.RunGenerators(compilation);

        Assert.All(Reasons(driver, TrackingNames.Artifact), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, TrackingNames.Settings), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(driver, TrackingNames.Source), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void EditingUserCodeDoesNotRegenerate()
    {
        var text = new InMemoryAdditionalText(GeneratorHarness.ArtifactPath, Artifacts.Small.Json);
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver(new[] { text }).RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText("class A { int X; }", GeneratorHarness.ParseOptions(), path: "/project/Program.cs"));
        driver = driver.RunGenerators(edited);

        Assert.All(Reasons(driver, TrackingNames.Artifact), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, TrackingNames.Source), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void ReplacingTheArtifactWithIdenticalTextReparsesButDoesNotReemit()
    {
        var text = new InMemoryAdditionalText(GeneratorHarness.ArtifactPath, Artifacts.Small.Json);
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.Driver(new[] { text }).RunGenerators(compilation);

        // What a rebuild that rewrote the same bytes looks like: a new AdditionalText, equal model.
        driver = driver.ReplaceAdditionalText(text, new InMemoryAdditionalText(GeneratorHarness.ArtifactPath, Artifacts.Small.Json)).RunGenerators(compilation);

        Assert.All(Reasons(driver, TrackingNames.Artifact), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.All(Reasons(driver, TrackingNames.Source), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void ChangedArtifactRegenerates()
    {
        var text = new InMemoryAdditionalText(GeneratorHarness.ArtifactPath, Artifacts.Small.Json);
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.Driver(new[] { text }).RunGenerators(compilation);
        string before = driver.GetRunResult().GeneratedTrees.Single().GetText().ToString();

        var changed = Artifacts.Edited(root => root["target"] = "cortex-a53");
        driver = driver.ReplaceAdditionalText(text, new InMemoryAdditionalText(GeneratorHarness.ArtifactPath, changed)).RunGenerators(compilation);

        Assert.All(Reasons(driver, TrackingNames.Artifact), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.All(Reasons(driver, TrackingNames.Source), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        string after = driver.GetRunResult().GeneratedTrees.Single().GetText().ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("Target = \"cortex-a53\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public void PipelineOutputsHoldNoRoslynObjects()
    {
        // Compilations, symbols or syntax in a step's output defeat caching and keep old compilations alive.
        var text = new InMemoryAdditionalText(GeneratorHarness.ArtifactPath, Artifacts.Small.Json);
        var driver = GeneratorHarness.Driver(new[] { text }).RunGenerators(GeneratorHarness.Compilation());
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;

        foreach (var name in new[] { TrackingNames.Artifact, TrackingNames.Settings, TrackingNames.Source })
            foreach (var output in steps[name].SelectMany(s => s.Outputs))
                AssertNoRoslynObjects(output.Value, name);
    }

    private static void AssertNoRoslynObjects(object? value, string step, int depth = 0)
    {
        if (value is null || depth > 6) return;
        var type = value.GetType();
        Assert.False(value is Compilation or ISymbol or SyntaxNode or SyntaxTree, $"{step} holds a {type.Name}");
        if (type.IsPrimitive || value is string || type.IsEnum) return;
        if (value is System.Collections.IEnumerable items)
        {
            foreach (var item in items) AssertNoRoslynObjects(item, step, depth + 1);
            return;
        }
        foreach (var property in type.GetProperties().Where(p => p.GetIndexParameters().Length == 0))
            AssertNoRoslynObjects(property.GetValue(value), step, depth + 1);
    }
}
