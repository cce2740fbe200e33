using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SubnetGen.Generators.Tests.Infrastructure;

/// <summary>The outcome of one generator run over an in-memory compilation.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output)
{
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>The single generated file's text (fails when there is not exactly one).</summary>
    public string Source => Assert.Single(Result.GeneratedTrees).GetText().ToString();

    /// <summary>Compiler errors and warnings of the compilation with the generated code added.</summary>
    public ImmutableArray<Diagnostic> CompileProblems =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
}

/// <summary>
/// Drives <see cref="SubnetModelGenerator"/> with <see cref="CSharpGeneratorDriver"/> over an in-memory
/// compilation: the running framework's reference assemblies (from TRUSTED_PLATFORM_ASSEMBLIES) plus
/// SubnetGen.Runtime, which the generated code calls.
/// </summary>
internal static class GeneratorHarness
{
    public const string ArtifactPath = "/project/obj/subnetgen/FashionClassifier.subnet.json";

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        // Only the framework's own assemblies: the test's dependencies are in TPA too, SubnetGen.Runtime among them.
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDir, StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        return framework.Append(MetadataReference.CreateFromFile(typeof(SubnetGen.Runtime.Kernels).Assembly.Location)).ToImmutableArray();
    });

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpParseOptions ParseOptions(LanguageVersion version = LanguageVersion.Latest) =>
        new(version, DocumentationMode.Diagnose);

    public static CSharpCompilation Compilation(string source = "", CSharpParseOptions? parseOptions = null, string assemblyName = "App")
    {
        parseOptions ??= ParseOptions();
        // A project with <Nullable>enable</Nullable> on C# 8+; older language versions have no nullable context.
        var nullable = parseOptions.LanguageVersion >= LanguageVersion.CSharp8 ? NullableContextOptions.Enable : NullableContextOptions.Disable;
        return CSharpCompilation.Create(assemblyName,
            source.Length == 0 ? Array.Empty<SyntaxTree>() : new[] { CSharpSyntaxTree.ParseText(source, parseOptions, path: "/project/Program.cs") },
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable,
                optimizationLevel: OptimizationLevel.Release, deterministic: true));
    }

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files, string? rootNamespace = "App", CSharpParseOptions? parseOptions = null)
    {
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rootNamespace is not null) global["build_property.RootNamespace"] = rootNamespace;
        return CSharpGeneratorDriver.Create(
            new[] { new SubnetModelGenerator().AsSourceGenerator() },
            files,
            parseOptions ?? ParseOptions(),
            new TestOptionsProvider(global),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Runs the generator on one artifact text.</summary>
    public static GeneratorRun Run(string artifactJson, string? rootNamespace = "App", CSharpParseOptions? parseOptions = null, string source = "",
        string path = ArtifactPath) =>
        Run(new[] { new InMemoryAdditionalText(path, artifactJson) }, rootNamespace, parseOptions, source);

    public static GeneratorRun Run(IEnumerable<AdditionalText> files, string? rootNamespace = "App", CSharpParseOptions? parseOptions = null, string source = "")
    {
        parseOptions ??= ParseOptions();
        var driver = Driver(files, rootNamespace, parseOptions);
        var compilation = Compilation(source, parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult();
        // A generator that throws shows up as an exception on its result, not as a test failure: make it one.
        foreach (var r in result.Results)
            Assert.True(r.Exception is null, "the generator threw: " + r.Exception);
        return new GeneratorRun(driver, result, output);
    }
}
