using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Search;

namespace SubnetGen.Pipeline;

/// <summary>
/// constraints.json → per model: target budget → supernet package → search → extraction → artifact,
/// Pareto report (markdown, JSON and an HTML page) and one summary line. Constraints errors are all reported at
/// once; a model that fails stops the run with a <see cref="SubnetGenException"/> whose diagnostic points into
/// constraints.json.
/// </summary>
public sealed class ModelPipeline
{
    private readonly IPipelineLog _log;
    private readonly SupernetPackageResolver _resolver;
    private readonly CancellationToken _token;

    public ModelPipeline(IPipelineLog log, CancellationToken token)
    {
        _log = log;
        _resolver = new SupernetPackageResolver(new NuGetLogAdapter(log));
        _token = token;
    }

    /// <param name="onModel">Called as each model is done, before the next one starts (the CLI prints its Pareto report there).</param>
    public PipelineOutcome Run(PipelineRequest request, Action<ModelOutcome>? onModel = null)
    {
        var dependencies = new List<string>();
        var models = new List<ModelOutcome>();
        string text = File.ReadAllText(request.ConstraintsFile, Encoding.UTF8);
        var read = ConstraintsReader.Read(text, request.ConstraintsFile);
        foreach (var diagnostic in read.Diagnostics) _log.Report(diagnostic);
        if (read.HasErrors || read.Document is null)
            return new PipelineOutcome(false, null, dependencies, models);

        foreach (var model in read.Document.Models.Where(m => request.ModelName is null || string.Equals(m.Name, request.ModelName, StringComparison.Ordinal)))
        {
            _token.ThrowIfCancellationRequested();
            var outcome = Generate(model, request, text, dependencies);
            models.Add(outcome);
            onModel?.Invoke(outcome);
        }
        return new PipelineOutcome(true, read.Document, dependencies, models);
    }

    private ModelOutcome Generate(ModelConstraints model, PipelineRequest request, string text, List<string> dependencies)
    {
        string constraintsFile = request.ConstraintsFile;
        var target = model.Resolve(request.TargetName);
        var bundle = SupernetBundle.Load(request.BundleFolder ?? Resolve(model, request, text, dependencies));
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
            result = SubnetSearch.Run(spec, predictor, target.Budget, latency, bundle.Predictor.SearchOptions);
        }
        catch (SubnetGenException e) when (e.Diagnostic.File is null)
        {
            // The budget that cannot be met is in this target's entry.
            var where = SourceText.Find(text, "\"" + target.Name + "\"", model.TargetsLocation?.Line ?? 1)
                ?? (model.TargetsLocation is null ? null : (model.TargetsLocation.Line, model.TargetsLocation.Column));
            throw new SubnetGenException(At(e.Diagnostic, constraintsFile, where), e);
        }
        // The search maximised the predictor; what the build promises is measured on images it never saw.
        if (bundle.Promise is { } promises) result = promises.Apply(result);
        if (target.Budget.MinAccuracy is double floor && result.Promise is { } promise && promise.Accuracy < floor)
        {
            var entry = SourceText.Find(text, "\"" + target.Name + "\"", model.TargetsLocation?.Line ?? 1);
            var where = SourceText.Find(text, "\"" + BudgetKey.MinAccuracy.Name + "\"", entry?.Line ?? model.TargetsLocation?.Line ?? 1);
            _log.Report(new Diagnostic(DiagnosticCodes.PromiseBelowMinimum, string.Create(CultureInfo.InvariantCulture,
                $"{model.Name} [{target.Name}]: the pick {result.Config} predicts {SizeText.Percent(result.PredictedAccuracy)} and meets {BudgetKey.MinAccuracy.Name} {SizeText.Percent(floor)}, but its held-out accuracy is {SizeText.Percent(promise.Accuracy)} ({SizeText.Interval(promise)}, {promise.Images:#,0} images)."),
                constraintsFile, where?.Line ?? 0, where?.Column ?? 0,
                string.Create(CultureInfo.InvariantCulture, $"if the floor must hold on unseen images, raise {BudgetKey.MinAccuracy.Name} by {(floor - promise.Accuracy) * 100:0.0} points or loosen the cost budgets."),
                IsWarning: true));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var extracted = SubnetExtractor.Extract(bundle, result.Config);
        _log.Message(LogImportance.Normal, string.Format(CultureInfo.InvariantCulture, "SubnetGen: {0} [{1}] BN statistics: {2}{3}", model.Name, target.Name,
            BatchNormSourceText.Describe(extracted.BatchNorm, bundle.Calibration.Count),
            extracted.BatchNorm == BatchNormSource.Recalibrated ? string.Format(CultureInfo.InvariantCulture, " in {0:F1} s", clock.Elapsed.TotalSeconds) : ""));

        string supernet = bundle.Manifest.Id + " " + bundle.Manifest.Version;
        string report = ParetoReport.Render(model, target, supernet, result);
        string? artifactPath = null, pagePath = null;
        if (request.OutputDirectory is not null)
        {
            Directory.CreateDirectory(request.OutputDirectory);
            var cost = result.Cost;
            var metrics = new ArtifactMetrics(result.PromisedAccuracy, cost.Macs, cost.Parameters, cost.WeightBytes,
                cost.PeakMemoryBytes, cost.MoofaPeakElements, result.LatencyMs, result.Promise is { } heldOut ? ArtifactAccuracyInterval.Of(heldOut) : null);
            var artifact = SubnetArtifact.Create(model.Name, model.Namespace, bundle.Manifest, target.Name, extracted, cost.Arena, metrics);
            artifactPath = SubnetArtifactWriter.Write(request.OutputDirectory, artifact, extracted.Weights).JsonPath;
            string stem = Path.Combine(request.OutputDirectory, model.Name);
            var subject = new ParetoSubject(model.Name, target.Name, target.Budget, bundle.Manifest.Id, bundle.Manifest.Version, result,
                BuildSummary.Caveat(bundle.Manifest, bundle.Predictor));
            var utf8 = new UTF8Encoding(false);
            File.WriteAllText(stem + ".pareto.md", report, utf8);
            File.WriteAllText(stem + ".pareto.json", ParetoJson.Render(subject), utf8);
            pagePath = stem + ".pareto.html";
            File.WriteAllText(pagePath, ParetoPage.Render(subject), utf8);
        }

        _log.Message(LogImportance.High, BuildSummary.Line(model.Name, target.Name, result, bundle.Manifest, bundle.Predictor, target.Budget, pagePath));
        return new ModelOutcome(model.Name, result, report, artifactPath);
    }

    /// <summary>The bundle folder of the model's supernet package, resolved the way restore would; a failure points at the id in constraints.json.</summary>
    private string Resolve(ModelConstraints model, PipelineRequest request, string text, List<string> dependencies)
    {
        ResolvedSupernet resolved;
        try
        {
            resolved = _resolver.Resolve(request.ProjectDirectory, model.Supernet.Id, model.Supernet.Version, model.Supernet.Sha512, request.ConstraintsFile, _token);
        }
        catch (SubnetGenException e) when (e.Diagnostic.Line == 0)
        {
            // Point at the line to change: the pin for a hash that differs, else the supernet id.
            string token = e.Diagnostic.Code == DiagnosticCodes.SupernetHashMismatch && model.Supernet.Sha512 is not null ? model.Supernet.Sha512 : model.Supernet.Id;
            throw new SubnetGenException(At(e.Diagnostic, request.ConstraintsFile, SourceText.Find(text, "\"" + token + "\"")), e);
        }
        dependencies.Add(Path.Combine(resolved.PackageFolder, ".nupkg.metadata"));
        // A package repacked into the feed, or a nuget.config pointing elsewhere, reruns the search, and the resolver
        // then compares the cached package with the feed's (SNG2017) instead of a no-op build keeping the old model.
        if (resolved.FeedPackage is not null) dependencies.Add(resolved.FeedPackage);
        dependencies.AddRange(resolved.ConfigFiles);
        return resolved.BundleFolder;
    }

    private static Diagnostic At(Diagnostic d, string file, (int Line, int Column)? where) =>
        d with { File = file, Line = where?.Line ?? 0, Column = where?.Column ?? 0 };
}
