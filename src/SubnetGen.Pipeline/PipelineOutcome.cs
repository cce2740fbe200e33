using System.Collections.Generic;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Search;

namespace SubnetGen.Pipeline;

/// <summary>
/// What one run produced. <see cref="Succeeded"/> is false when constraints.json has errors (reported through the log);
/// <see cref="Document"/> is then null.
/// </summary>
/// <param name="Dependencies">Files the run read besides constraints.json (package markers, latency tables): the build reruns when one changes.</param>
public sealed record PipelineOutcome(bool Succeeded, ConstraintsDocument? Document, IReadOnlyList<string> Dependencies, IReadOnlyList<ModelOutcome> Models);

/// <summary>One model's pick, as the summary line and the Pareto report tell it.</summary>
/// <param name="ArtifactPath">The <c>.subnet.json</c> written, or null when the request has no output folder.</param>
public sealed record ModelOutcome(string Model, string Target, SearchResult Result, string Summary, string ParetoReport, string? ArtifactPath);
