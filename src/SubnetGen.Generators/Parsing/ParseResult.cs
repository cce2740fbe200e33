using SubnetGen.Generators.Model;

namespace SubnetGen.Generators.Parsing;

/// <summary>
/// What one artifact file parsed to: a model, or the diagnostics that say why not (never both empty).
/// <see cref="Path"/> locates later diagnostics (namespace, duplicates) that are only known downstream.
/// </summary>
internal sealed record ParseResult(string Path, ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics);
