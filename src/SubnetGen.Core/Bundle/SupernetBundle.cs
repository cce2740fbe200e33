using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Bundle;

/// <summary>
/// A supernet bundle folder (docs/formats.md): <c>supernet.json</c>, <c>weights.safetensors</c>,
/// <c>predictor.json</c>, <c>calibration.bin</c>, and optionally <c>bnstats.safetensors</c> (per-config
/// recalibrated BN statistics) and <c>promise.json</c> (held-out accuracies the build promises). <see cref="Load"/> checks every file's version and that every tensor the
/// structure needs is there with the right shape, so extraction can trust it.
/// </summary>
public sealed class SupernetBundle
{
    public const string WeightsFileName = "weights.safetensors";
    /// <summary>The files every bundle has.</summary>
    public static readonly string[] FileNames = { SupernetManifest.FileName, WeightsFileName, PredictorFile.FileName, CalibrationSet.FileName };
    /// <summary>Files a bundle may have; <see cref="Load"/> reads and checks them when present.</summary>
    public static readonly string[] OptionalFileNames = { BatchNormStatisticsFile.FileName, PromiseFile.FileName };

    public SupernetBundle(SupernetManifest manifest, IReadOnlyDictionary<string, WeightTensor> tensors, PredictorFile predictor, CalibrationSet calibration,
        BatchNormStatisticsFile? batchNormStatistics = null, PromiseFile? promise = null)
    {
        Manifest = manifest;
        Tensors = tensors;
        Predictor = predictor;
        Calibration = calibration;
        BatchNormStatistics = batchNormStatistics;
        Promise = promise;
    }

    public SupernetManifest Manifest { get; }
    public SupernetSpec Spec => Manifest.Spec;
    /// <summary>Supernet tensors by name, PyTorch layouts.</summary>
    public IReadOnlyDictionary<string, WeightTensor> Tensors { get; }
    public PredictorFile Predictor { get; }
    public CalibrationSet Calibration { get; }
    /// <summary>Per-config recalibrated BN statistics (<c>bnstats.safetensors</c>), or null; <see cref="Extract.SubnetExtractor"/> uses them.</summary>
    public BatchNormStatisticsFile? BatchNormStatistics { get; }
    /// <summary>Held-out accuracy counts per config (<c>promise.json</c>), or null: the build then promises the predictor's value.</summary>
    public PromiseFile? Promise { get; }

    /// <summary>The same bundle with <paramref name="statistics"/> as its <c>bnstats.safetensors</c> (null: none).</summary>
    public SupernetBundle WithBatchNormStatistics(BatchNormStatisticsFile? statistics) =>
        new(Manifest, Tensors, Predictor, Calibration, statistics, Promise);

    /// <summary>The same bundle with <paramref name="predictor"/> as its <c>predictor.json</c>.</summary>
    public SupernetBundle WithPredictor(PredictorFile predictor) =>
        new(Manifest, Tensors, predictor, Calibration, BatchNormStatistics, Promise);

    /// <summary>The same bundle with <paramref name="promise"/> as its <c>promise.json</c> (null: none).</summary>
    public SupernetBundle WithPromise(PromiseFile? promise) =>
        new(Manifest, Tensors, Predictor, Calibration, BatchNormStatistics, promise);

    /// <summary>The same bundle under package version <paramref name="version"/> (a changed bundle needs one: NuGet caches packages by id and version).</summary>
    public SupernetBundle WithVersion(string version) =>
        new(Manifest with { Version = version }, Tensors, Predictor, Calibration, BatchNormStatistics, Promise);

    /// <param name="batchNormStatistics">False: leave <c>bnstats.safetensors</c> unread, for a caller that replaces it
    /// (<c>subnetgen-train recalibrate</c>, which must also mend a file this version refuses).</param>
    public static SupernetBundle Load(string directory, bool batchNormStatistics = true)
    {
        if (!Directory.Exists(directory))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"The supernet bundle folder {directory} does not exist.", directory,
                "point SubnetGen at a folder holding " + string.Join(", ", FileNames) + ".");
        string weightsPath = Path.Combine(directory, WeightsFileName), predictorPath = Path.Combine(directory, PredictorFile.FileName);
        var manifest = SupernetManifest.Read(Path.Combine(directory, SupernetManifest.FileName));
        var tensors = Safetensors.Read(weightsPath).Tensors;
        CheckTensors(manifest.Spec, tensors, weightsPath);
        var predictor = PredictorFile.Read(predictorPath);
        int encoding = ArchitectureEncoding.Length(manifest.Spec);
        if (predictor.Kind == PredictorFile.MlpKind && predictor.InputLength != encoding)
            throw FormatJson.Error(DiagnosticCodes.PredictorInvalid,
                $"{PredictorFile.FileName}: inputLength is {predictor.InputLength}, but this supernet's architecture encoding has {encoding} values.",
                predictorPath, "retrain the predictor for this supernet.");
        if (predictor.Entries is { } table) CheckTable(manifest.Spec, table, predictorPath);
        var calibration = CalibrationSet.Read(Path.Combine(directory, CalibrationSet.FileName));
        string statisticsPath = Path.Combine(directory, BatchNormStatisticsFile.FileName);
        var statistics = batchNormStatistics && File.Exists(statisticsPath) ? BatchNormStatisticsFile.Read(statisticsPath, manifest.Spec) : null;
        string promisePath = Path.Combine(directory, PromiseFile.FileName);
        var promise = File.Exists(promisePath) ? PromiseFile.Read(promisePath, manifest.Spec) : null;
        return new SupernetBundle(manifest, tensors, predictor, calibration, statistics, promise);
    }

    /// <summary>Every table entry must be a config of the supernet: the search fits the table over the space's encoding.</summary>
    private static void CheckTable(SupernetSpec spec, IReadOnlyDictionary<string, double> table, string file)
    {
        foreach (string architecture in table.Keys)
        {
            if (spec.TryParseConfig(architecture, out _, out string? error)) continue;
            throw FormatJson.Error(DiagnosticCodes.PredictorInvalid,
                $"{PredictorFile.FileName}: table entry \"{architecture}\" is not a config of this supernet: {error}.",
                file, "regenerate the table for this supernet with subnetgen-train predictor --write.");
        }
    }

    /// <summary>Checks that every tensor of <see cref="SupernetTensors.Expected"/> is present with its shape; extra tensors are ignored.</summary>
    public static void CheckTensors(SupernetSpec spec, IReadOnlyDictionary<string, WeightTensor> tensors, string file)
    {
        foreach (var required in SupernetTensors.Expected(spec))
        {
            if (!tensors.TryGetValue(required.Name, out var tensor))
                throw FormatJson.Error(DiagnosticCodes.TensorMissing,
                    $"{Path.GetFileName(file)} has no tensor \"{required.Name}\" [{string.Join(", ", required.Shape)}], which supernet.json's structure needs.",
                    file, "export the weights and supernet.json from the same trained supernet.");
            if (!tensor.HasShape(required.Shape))
                throw FormatJson.Error(DiagnosticCodes.TensorShapeMismatch,
                    $"Tensor \"{required.Name}\" in {Path.GetFileName(file)} has shape {tensor.ShapeText}; supernet.json's structure needs [{string.Join(", ", required.Shape)}].",
                    file, "export the weights and supernet.json from the same trained supernet.");
        }
    }

    /// <summary>Writes the files (bnstats.safetensors when present) into a temporary sibling folder, then moves it into place, so nothing is half-written.</summary>
    public void Save(string directory)
    {
        string target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        string temp = target + ".tmp-" + Guid.NewGuid().ToString("N");
        string backup = target + ".old-" + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(temp);
            File.WriteAllBytes(Path.Combine(temp, SupernetManifest.FileName), Manifest.ToJson());
            File.WriteAllBytes(Path.Combine(temp, WeightsFileName),
                Safetensors.ToBytes(Tensors, new Dictionary<string, string> { ["format"] = "pt" }));
            File.WriteAllBytes(Path.Combine(temp, PredictorFile.FileName), Predictor.ToJson());
            File.WriteAllBytes(Path.Combine(temp, CalibrationSet.FileName), Calibration.ToBytes());
            if (BatchNormStatistics is not null)
                File.WriteAllBytes(Path.Combine(temp, BatchNormStatisticsFile.FileName), BatchNormStatistics.ToBytes());
            if (Promise is not null)
                File.WriteAllBytes(Path.Combine(temp, PromiseFile.FileName), Promise.ToJson());
            bool replace = Directory.Exists(target);
            if (replace) Directory.Move(target, backup);
            Directory.Move(temp, target);
            if (replace) Directory.Delete(backup, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Directory.Exists(temp)) TryDelete(temp);
            if (Directory.Exists(backup) && !Directory.Exists(target)) Directory.Move(backup, target);
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.FormatWriteFailed,
                $"Could not write the supernet bundle {target}: {e.Message}", target, 0, 0, "check that the folder is writable and the disk has room."), e);
        }
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
