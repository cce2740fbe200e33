using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using Microsoft.Build.Utilities;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Tasks;

/// <summary>What one task run produced: diagnostics to report, files read, artifacts written.</summary>
public sealed record PipelineOutcome(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Dependencies, IReadOnlyList<string> Artifacts);

/// <summary>constraints.json → per model: supernet package → search → extraction → artifact. (Interim: package resolution only, until Core's reader/search land.)</summary>
public sealed class ModelPipeline
{
    private readonly TaskLoggingHelper _log;
    private readonly SupernetPackageResolver _resolver;
    private readonly string _projectDirectory, _outputDirectory;
    private readonly CancellationToken _token;

    public ModelPipeline(TaskLoggingHelper log, SupernetPackageResolver resolver, string projectDirectory, string outputDirectory, CancellationToken token)
    {
        _log = log;
        _resolver = resolver;
        _projectDirectory = projectDirectory;
        _outputDirectory = outputDirectory;
        _token = token;
    }

    public PipelineOutcome Run(string constraintsFile, string targetName)
    {
        var dependencies = new List<string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(constraintsFile));
        foreach (var model in doc.RootElement.GetProperty("models").EnumerateArray())
        {
            var supernet = model.GetProperty("supernet");
            var resolved = _resolver.Resolve(_projectDirectory, supernet.GetProperty("id").GetString()!, supernet.GetProperty("version").GetString()!, constraintsFile, _token);
            dependencies.Add(Path.Combine(resolved.BundleFolder, "supernet.json"));
            _log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "SubnetGen: {0} uses {1} {2} from {3} (target {4})",
                model.GetProperty("name").GetString(), resolved.Id, resolved.Version, resolved.PackageFolder, targetName);
        }
        return new PipelineOutcome(new List<Diagnostic>(), dependencies, new List<string>());
    }
}
