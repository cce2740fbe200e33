namespace SubnetGen.Pipeline;

/// <summary>
/// One run of the pipeline: which constraints file and target, where NuGet's settings are looked up from, and where
/// the artifacts go.
/// </summary>
/// <param name="ConstraintsFile">Absolute path of constraints.json.</param>
/// <param name="ProjectDirectory">Absolute folder where the nuget.config lookup starts (the project's; the CLI uses the constraints' folder).</param>
public sealed record PipelineRequest(string ConstraintsFile, string ProjectDirectory)
{
    /// <summary>The constraints "targets" entry to build for; null or empty means "default".</summary>
    public string? TargetName { get; init; }

    /// <summary>Only the model of this name (<c>subnetgen search --model</c>); null: every model.</summary>
    public string? ModelName { get; init; }

    /// <summary>A bundle folder to use for every model instead of resolving its supernet package (<c>subnetgen search --bundle</c>).</summary>
    public string? BundleFolder { get; init; }

    /// <summary>Where <c>&lt;Model&gt;.subnet.json</c>, <c>.weights.bin</c>, <c>.pareto.md</c>, <c>.pareto.json</c> and <c>.pareto.html</c> are written; null: nothing is written.</summary>
    public string? OutputDirectory { get; init; }
}
