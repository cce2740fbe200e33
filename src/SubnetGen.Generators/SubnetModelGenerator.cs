using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SubnetGen.Generators.Emit;
using SubnetGen.Generators.Model;
using SubnetGen.Generators.Parsing;

namespace SubnetGen.Generators;

/// <summary>
/// Turns each <c>&lt;Model&gt;.subnet.json</c> among the AdditionalFiles into <c>&lt;Model&gt;.g.cs</c>: a typed
/// classifier with straight-line inference over SubnetGen.Runtime's kernels (docs/generated-code.md).
/// Pipeline, after dotnet/runtime's Regex and System.Text.Json generators: parse each file into a small
/// equatable <see cref="ModelSpec"/>, combine it with the project settings (root namespace, language
/// version), emit text, report diagnostics. Each step is cached on its equatable output, so editing
/// unrelated code re-runs nothing; the weights never pass through here (they are an EmbeddedResource).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SubnetModelGenerator : IIncrementalGenerator
{
    public const string ArtifactSuffix = ".subnet.json";

    private static readonly string s_version = typeof(SubnetModelGenerator).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var artifacts = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(ArtifactSuffix, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, ct) => Parse(file, ct))
            .WithTrackingName(TrackingNames.Artifact);

        var rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) =>
                options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns.Trim() : null);
        var nullable = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions cs && cs.LanguageVersion >= LanguageVersion.CSharp8);
        var settings = rootNamespace.Combine(nullable)
            .Select(static (pair, _) => new EmitSettings(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Settings);

        var models = artifacts.Combine(settings)
            .Select(static (pair, ct) => Generate(pair.Left, pair.Right, ct))
            .WithTrackingName(TrackingNames.Source);

        // Collected only to catch two artifacts generating the same class; the expensive steps stay per file.
        context.RegisterSourceOutput(models.Collect(), static (spc, all) => AddSources(spc, all));
    }

    private static ParseResult Parse(AdditionalText file, CancellationToken cancellationToken)
    {
        try
        {
            return ArtifactParser.Parse(file.Path, file.GetText(cancellationToken), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ParseResult(file.Path, null, Single(Failure(file.Path, e)));
        }
    }

    private static GeneratedModel Generate(ParseResult parsed, EmitSettings settings, CancellationToken cancellationToken)
    {
        if (parsed.Model is not { } model) return new GeneratedModel(parsed.Path, null, null, null, parsed.Diagnostics);
        try
        {
            string? ns = model.Namespace ?? settings.RootNamespace;
            if (ns is not null && !ArtifactParser.IsValidNamespace(ns))
            {
                string from = model.Namespace is not null ? "the artifact's \"namespace\"" : "the project's RootNamespace";
                return new GeneratedModel(parsed.Path, null, null, null, Single(new DiagnosticInfo(DiagnosticDescriptors.InvalidNamespace, parsed.Path,
                    default, default, new EquatableArray<string>(new[] { FileName(parsed.Path), ns, from }))));
            }
            cancellationToken.ThrowIfCancellationRequested();
            string source = ModelEmitter.Emit(model, ns, settings.NullableEnabled, s_version);
            string typeName = ns is null ? model.Name : ns + "." + model.Name;
            return new GeneratedModel(parsed.Path, typeName, model.Name, source, EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new GeneratedModel(parsed.Path, null, null, null, Single(Failure(parsed.Path, e)));
        }
    }

    private static void AddSources(SourceProductionContext context, ImmutableArray<GeneratedModel> models)
    {
        var byType = new Dictionary<string, string>(StringComparer.Ordinal);
        var hintNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            foreach (var diagnostic in model.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (model.Source is null || model.TypeName is null || model.Name is null) continue;
            if (byType.TryGetValue(model.TypeName, out string? firstPath))
            {
                context.ReportDiagnostic(new DiagnosticInfo(DiagnosticDescriptors.DuplicateModel, model.Path, default, default,
                    new EquatableArray<string>(new[] { FileName(model.Path), model.TypeName, FileName(firstPath) })).ToDiagnostic());
                continue;
            }
            byType.Add(model.TypeName, model.Path);
            // <Name>.g.cs; the same name in two namespaces falls back to the qualified name.
            string hintName = hintNames.Add(model.Name + ".g.cs") ? model.Name + ".g.cs" : model.TypeName + ".g.cs";
            hintNames.Add(hintName);
            context.AddSource(hintName, SourceText.From(model.Source, System.Text.Encoding.UTF8));
        }
    }

    private static DiagnosticInfo Failure(string path, Exception e) =>
        new(DiagnosticDescriptors.GeneratorFailed, path, default, default,
            new EquatableArray<string>(new[] { FileName(path), e.GetType().Name + ": " + e.Message }));

    private static EquatableArray<DiagnosticInfo> Single(DiagnosticInfo info) => new(new[] { info });

    private static string FileName(string path) => System.IO.Path.GetFileName(path);
}

/// <summary>Names of the pipeline steps, for <c>IncrementalGeneratorRunStep</c> tracking in tests.</summary>
internal static class TrackingNames
{
    public const string Artifact = "SubnetGen.Artifact";
    public const string Settings = "SubnetGen.Settings";
    public const string Source = "SubnetGen.Source";
}

/// <summary>Project settings that shape the emitted text.</summary>
internal sealed record EmitSettings(string? RootNamespace, bool NullableEnabled);

/// <summary>One artifact's outcome: the generated source, or the diagnostics that replace it.</summary>
internal sealed record GeneratedModel(string Path, string? TypeName, string? Name, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
