using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Pipeline;

/// <summary>How much a message matters; the task maps it onto MSBuild's MessageImportance of the same name.</summary>
public enum LogImportance
{
    /// <summary>Shown by every build (the summary line).</summary>
    High,

    /// <summary>Shown at normal verbosity (BN statistics, NuGet's warnings).</summary>
    Normal,

    /// <summary>Shown at detailed verbosity only (NuGet's chatter).</summary>
    Low,
}

/// <summary>
/// What the pipeline tells its caller while it runs: the MSBuild task forwards it to the build log,
/// <c>subnetgen search</c> to the console. A failing model is not reported here: the pipeline throws its
/// <see cref="SubnetGenException"/>, located in constraints.json, and the caller reports it as it reports every error.
/// </summary>
public interface IPipelineLog
{
    void Message(LogImportance importance, string text);

    /// <summary>constraints.json's warnings and errors, all of them at once (after errors the run stops, with <see cref="PipelineOutcome.Succeeded"/> false).</summary>
    void Report(Diagnostic diagnostic);
}
