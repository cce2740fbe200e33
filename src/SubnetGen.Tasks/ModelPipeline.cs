using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Search;

namespace SubnetGen.Tasks;

/// <summary>What one task run produced: diagnostics to report, files read, artifacts written.</summary>
public sealed record PipelineOutcome(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Dependencies, IReadOnlyList<string> Artifacts);

/// <summary>
/// constraints.json → per model: target budget → supernet package → search → extraction → artifact,
/// Pareto report and one summary line. Stops at the first model that fails (its diagnostic carries the
/// file and line); constraints errors are all reported at once.
/// </summary>
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
        var artifacts = new List<string>();
        string text = File.ReadAllText(constraintsFile, Encoding.UTF8);
        var read = ConstraintsReader.Read(text, constraintsFile);
        if (read.HasErrors || read.Document is null)
            return new PipelineOutcome(read.Diagnostics, dependencies, artifacts);

        foreach (var model in read.Document.Models)
        {
            _token.ThrowIfCancellationRequested();
            artifacts.Add(Generate(model, targetName, constraintsFile, text, dependencies));
        }
        return new PipelineOutcome(read.Diagnostics, dependencies, artifacts);
    }

    private string Generate(ModelConstraints model, string targetName, string constraintsFile, string text, List<string> dependencies)
    {
        var target = model.Resolve(targetName);

        ResolvedSupernet resolved;
        try
        {
            resolved = _resolver.Resolve(_projectDirectory, model.Supernet.Id, model.Supernet.Version, constraintsFile, _token);
        }
        catch (SubnetGenException e) when (e.Diagnostic.Line == 0)
        {
            // Point at the supernet id in constraints.json: that is the line to change.
            throw new SubnetGenException(At(e.Diagnostic, constraintsFile, SourceText.Find(text, "\"" + model.Supernet.Id + "\"")), e);
        }
        dependencies.Add(Path.Combine(resolved.PackageFolder, ".nupkg.metadata"));

        var bundle = SupernetBundle.Load(resolved.BundleFolder);
        var spec = bundle.Spec;

        LatencyModel? latency = null;
        if (target.LatencyTablePath is not null)
        {
            dependencies.Add(target.LatencyTablePath);
            latency = new LatencyModel(DeviceLatencyTable.Load(target.LatencyTablePath));
        }

        var predictor = bundle.Predictor.CreatePredictor(spec);
        SearchResult result;
        try
        {
            result = SubnetSearch.Run(spec, predictor, target.Budget, latency, SearchOptions.Default);
        }
        catch (SubnetGenException e) when (e.Diagnostic.File is null)
        {
            // The budget that cannot be met is in this target's entry.
            var where = SourceText.Find(text, "\"" + target.Name + "\"", model.TargetsLocation?.Line ?? 1)
                ?? (model.TargetsLocation is null ? null : (model.TargetsLocation.Line, model.TargetsLocation.Column));
            throw new SubnetGenException(At(e.Diagnostic, constraintsFile, where), e);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var extracted = SubnetExtractor.Extract(bundle, result.Config);
        _log.LogMessage(MessageImportance.Normal, "SubnetGen: {0} [{1}] BN statistics: {2}{3}", model.Name, target.Name,
            BatchNormSourceText.Describe(extracted.BatchNorm, bundle.Calibration.Count),
            extracted.BatchNorm == BatchNormSource.Recalibrated ? string.Format(CultureInfo.InvariantCulture, " in {0:F1} s", clock.Elapsed.TotalSeconds) : "");
        var cost = result.Cost;
        var metrics = new ArtifactMetrics(result.PredictedAccuracy, cost.Macs, cost.Parameters, cost.WeightBytes,
            cost.PeakMemoryBytes, cost.MoofaPeakElements, result.LatencyMs);
        var artifact = SubnetArtifact.Create(model.Name, model.Namespace, bundle.Manifest, target.Name, extracted, cost.Arena, metrics);
        var files = SubnetArtifactWriter.Write(_outputDirectory, artifact, extracted.Weights);

        string supernet = bundle.Manifest.Id + " " + bundle.Manifest.Version;
        File.WriteAllText(Path.Combine(_outputDirectory, model.Name + ".pareto.md"),
            ParetoReport.Render(model, target, supernet, result), new UTF8Encoding(false));

        _log.LogMessage(MessageImportance.High, "{0}",
            BuildSummary.Line(model.Name, target.Name, result, bundle.Manifest, bundle.Predictor, target.Budget));
        return files.JsonPath;
    }

    private static Diagnostic At(Diagnostic d, string file, (int Line, int Column)? where) =>
        d with { File = file, Line = where?.Line ?? 0, Column = where?.Column ?? 0 };
}
