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

/// <summary>One model's pick and its Pareto report (the markdown of <c>&lt;Model&gt;.pareto.md</c>).</summary>
/// <param name="ArtifactPath">The <c>.subnet.json</c> written, or null when the request has no output folder.</param>
public sealed record ModelOutcome(string Model, SearchResult Result, string ParetoReport, string? ArtifactPath);
