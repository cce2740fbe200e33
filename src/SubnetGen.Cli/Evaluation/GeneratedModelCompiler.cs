using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Extract;
using SubnetGen.Core.IO;
using SubnetGen.Core.Space;
using SubnetGen.Generators;

namespace SubnetGen.Cli.Evaluation;

/// <summary>
/// The build's last two steps, in process: lays an extracted subnet out as a subnet artifact (what the
/// MSBuild task writes to <c>obj/</c>), runs the real <see cref="SubnetModelGenerator"/> on it through
/// Roslyn's <see cref="CSharpGeneratorDriver"/>, compiles the generated class with the weights embedded
/// as the manifest resource the artifact names, and loads the assembly into a collectible
/// <see cref="AssemblyLoadContext"/>. What comes out is the code an app would ship, measured without
/// an app project: <c>subnetgen evaluate</c> runs it on test images, and the trainer's tests hold it to
/// TorchSharp's forward pass.
/// </summary>
public static class GeneratedModelCompiler
{
    /// <summary>Namespace and class of the generated model (the artifact's <c>namespace</c> and <c>name</c>).</summary>
    public const string Namespace = "SubnetGen.Evaluated";
    public const string ClassName = "EvaluatedClassifier";
    public const string TypeName = Namespace + "." + ClassName;

    /// <summary>The target name written into the artifact (it only shows in the generated remarks).</summary>
    public const string Target = "evaluate";

    // The running framework's own assemblies (every file of TRUSTED_PLATFORM_ASSEMBLIES beside
    // System.Private.CoreLib) plus SubnetGen.Runtime, which the generated code calls. The generated
    // assembly is loaded into this same runtime, so these are exactly what it will bind to.
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        var framework = trusted
            .Where(p => p.Length > 0 && string.Equals(Path.GetDirectoryName(p), frameworkDir, StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        if (framework.Count == 0)
            throw new GeneratedModelException($"Cannot find the framework's assemblies beside {typeof(object).Assembly.Location} to compile the generated model against.");
        string runtime = typeof(SubnetGen.Runtime.Kernels).Assembly.Location;
        if (runtime.Length == 0)
            throw new GeneratedModelException("SubnetGen.Runtime has no file on disk (single-file app?); the generated model cannot be compiled against it.");
        framework.Add(MetadataReference.CreateFromFile(runtime));
        return framework.ToImmutableArray();
    });

    /// <summary>Extracts <paramref name="config"/> from <paramref name="bundle"/> (Core's <see cref="SubnetExtractor"/>, the overload a build uses) and compiles it.</summary>
    public static GeneratedModel Compile(SupernetBundle bundle, SubnetConfig config) =>
        Compile(bundle.Manifest, SubnetExtractor.Extract(bundle, config));

    /// <summary>Generates, compiles and loads <paramref name="subnet"/>, a subnet of the supernet <paramref name="manifest"/> describes.</summary>
    /// <exception cref="GeneratedModelException">The generator reported a diagnostic or the generated code did not compile.</exception>
    public static GeneratedModel Compile(SupernetManifest manifest, ExtractedSubnet subnet)
    {
        var cost = CostModel.Measure(subnet.Graph);
        var artifact = SubnetArtifact.Create(ClassName, Namespace, manifest, Target, subnet, cost.Arena,
            ArtifactMetrics.From(cost, predictedAccuracy: null, latencyMs: null));
        byte[] json = artifact.ToJson();
        byte[] weights = FloatBytes.ToBytes(subnet.Weights);

        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None);
        var compilation = CSharpCompilation.Create(Namespace, Array.Empty<SyntaxTree>(), s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, deterministic: true));
        // The path only names the file in diagnostics; the generator picks files by their .subnet.json suffix.
        var additional = new ArtifactText(Path.Combine("obj", "subnetgen", artifact.Name + SubnetArtifact.JsonSuffix), json);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new SubnetModelGenerator().AsSourceGenerator() },
            new AdditionalText[] { additional }, parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        foreach (var result in run.Results)
            if (result.Exception is not null)
                throw new GeneratedModelException("The SubnetGen generator threw: " + result.Exception.Message, result.Exception);
        Fail("The SubnetGen generator reported", generatorDiagnostics);
        if (run.GeneratedTrees.Length != 1)
            throw new GeneratedModelException($"The SubnetGen generator produced {run.GeneratedTrees.Length} files for one artifact; expected one.");
        string source = run.GeneratedTrees[0].GetText().ToString();

        using var pe = new MemoryStream();
        var emitted = output.Emit(pe, manifestResources: new[]
        {
            new ResourceDescription(artifact.WeightsResource, () => new MemoryStream(weights, writable: false), isPublic: true),
        });
        if (!emitted.Success) Fail("The generated model does not compile", emitted.Diagnostics);
        pe.Position = 0;

        // SubnetGen.Runtime is not loaded into the context: it falls back to the default one, where the caller's copy is.
        var context = new AssemblyLoadContext("subnetgen-evaluate-" + artifact.Architecture, isCollectible: true);
        try
        {
            var type = context.LoadFromStream(pe).GetType(TypeName)
                ?? throw new GeneratedModelException($"The generated assembly has no type {TypeName}.");
            return new GeneratedModel(context, type, artifact, subnet, cost, source);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    private static void Fail(string what, IEnumerable<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new GeneratedModelException(what + ":" + Environment.NewLine + string.Join(Environment.NewLine, errors.Take(10).Select(d => "  " + d)));
    }

    /// <summary>The artifact as the compiler hands an AdditionalFiles item to a generator.</summary>
    private sealed class ArtifactText : AdditionalText
    {
        private readonly SourceText _text;

        public ArtifactText(string path, byte[] utf8)
        {
            Path = path;
            _text = SourceText.From(utf8, utf8.Length, Encoding.UTF8, canBeEmbedded: false);
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}

/// <summary>The generator refused the artifact or the generated code did not compile: a SubnetGen bug, never bad user input.</summary>
public sealed class GeneratedModelException : Exception
{
    public GeneratedModelException(string message) : base(message) { }

    public GeneratedModelException(string message, Exception inner) : base(message, inner) { }
}
