using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.Build.Framework;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Pipeline;

namespace SubnetGen.Tasks;

/// <summary>
/// The build step behind SubnetGen: runs the <see cref="ModelPipeline"/> (constraints.json → supernet package →
/// search → extraction) into <see cref="OutputDirectory"/>, which gets <c>&lt;Model&gt;.subnet.json</c> +
/// <c>&lt;Model&gt;.weights.bin</c> + the Pareto report, its JSON and its page. What is MSBuild's stays here: the task's inputs and outputs, the
/// incremental-build files, the build log. Every user error is an SNG-coded diagnostic with file, line and column.
/// </summary>
public sealed class GenerateSubnets : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>Absolute path of constraints.json.</summary>
    [Required] public string ConstraintsFile { get; set; } = "";

    /// <summary>True when the path is the default one (a missing default file is a warning, a missing explicit one an error).</summary>
    public bool ConstraintsFileIsDefault { get; set; }

    /// <summary>Absolute project folder: where nuget.config lookup starts.</summary>
    [Required] public string ProjectDirectory { get; set; } = "";

    /// <summary>Name of the constraints "targets" entry to build for.</summary>
    public string TargetName { get; set; } = "default";

    /// <summary>Folder for the artifacts (obj/…/subnetgen/); files of earlier runs are removed.</summary>
    [Required] public string OutputDirectory { get; set; } = "";

    /// <summary>Where to list the files this run read, for the target's incremental Inputs next time.</summary>
    public string? DependenciesFile { get; set; }

    /// <summary>Touched on success only, so a failed run is retried by the next build.</summary>
    public string? StampFile { get; set; }

    /// <summary>The <c>.subnet.json</c> artifacts written.</summary>
    [Output] public ITaskItem[] Artifacts { get; private set; } = Array.Empty<ITaskItem>();

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        var log = new TaskLog(Log);
        if (StampFile is not null && File.Exists(StampFile)) File.Delete(StampFile);
        try
        {
            Directory.CreateDirectory(OutputDirectory);
            RemoveStaleArtifacts();
            LogLoadContext();
            var dependencies = new SortedSet<string>(StringComparer.Ordinal);

            if (!File.Exists(ConstraintsFile))
            {
                if (!ConstraintsFileIsDefault)
                {
                    log.Report(new Diagnostic(DiagnosticCodes.ConstraintsFileMissing,
                        $"The constraints file {ConstraintsFile} (SubnetGenConstraintsFile) does not exist.",
                        ConstraintsFile, 0, 0, "create it, or point SubnetGenConstraintsFile at an existing file."));
                    return false;
                }
                log.Report(new Diagnostic(DiagnosticCodes.NoConstraintsFile,
                    $"The project references SubnetGen but has no {Path.GetFileName(ConstraintsFile)}; no model is generated.",
                    ConstraintsFile, 0, 0, "add constraints.json beside the project (see docs/getting-started.md), or set SubnetGenConstraintsFile.",
                    IsWarning: true));
                Finish(dependencies);
                return true;
            }

            var outcome = new ModelPipeline(log, _cancel.Token).Run(
                new PipelineRequest(ConstraintsFile, ProjectDirectory) { TargetName = TargetName, OutputDirectory = OutputDirectory });
            dependencies.UnionWith(outcome.Dependencies);
            Artifacts = outcome.Models.Select(m => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(m.ArtifactPath!)).ToArray();
            if (Log.HasLoggedErrors) return false;
            Finish(dependencies);
            return true;
        }
        catch (SubnetGenException e)
        {
            log.Report(e.Diagnostic);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException e)
        {
            log.Report(new Diagnostic(DiagnosticCodes.ArtifactWriteFailed, $"Could not write the subnet artifacts to {OutputDirectory}: {e.Message}",
                null, 0, 0, "check that the folder is writable and not locked, then build again."));
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.Report(new Diagnostic(DiagnosticCodes.InternalError, $"SubnetGen failed unexpectedly: {e}",
                ConstraintsFile, 0, 0, "this is a bug in SubnetGen; please report it with this message."));
            return false;
        }
    }

    /// <summary>Which NuGet.Protocol this task runs with: the copy beside it, not the SDK's (checked by the integration tests at -v:d).</summary>
    private void LogLoadContext()
    {
        var nuget = typeof(NuGet.Protocol.Core.Types.Repository).Assembly;
        Log.LogMessage(MessageImportance.Low, "SubnetGen task: NuGet.Protocol {0} from {1} in load context {2}",
            nuget.GetName().Version, nuget.Location, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(nuget)?.Name ?? "(none)");
    }

    private void RemoveStaleArtifacts()
    {
        foreach (var pattern in new[] { "*.subnet.json", "*.weights.bin", "*.pareto.md", "*.pareto.json", "*.pareto.html" })
            foreach (var file in Directory.GetFiles(OutputDirectory, pattern)) File.Delete(file);
    }

    private void Finish(IEnumerable<string> dependencies)
    {
        if (DependenciesFile is not null) File.WriteAllLines(DependenciesFile, dependencies);
        if (StampFile is not null) File.WriteAllText(StampFile, "");
    }
}
