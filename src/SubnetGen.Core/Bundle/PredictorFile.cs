using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Serialization;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.IO;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Bundle;

/// <summary>One dense layer of the predictor MLP: <c>y = W·x + b</c>, <see cref="Weights"/> is [out, in].</summary>
public sealed record PredictorLayer(float[,] Weights, float[] Bias)
{
    public int Inputs => Weights.GetLength(1);
    public int Outputs => Weights.GetLength(0);
}

/// <summary>
/// How well the predictor matched measured accuracies of subnets it was not fitted on: <see cref="Subnets"/>
/// held-out subnets, or, with <see cref="Folds"/>, every one of <see cref="Subnets"/> measured subnets predicted
/// by k-fold cross-validation.
/// </summary>
public sealed record PredictorValidation(double Rmse, double KendallTau, int Subnets, int? Folds = null);

/// <summary>
/// <c>predictor.json</c> (docs/formats.md, formatVersion 1) as data: either an MLP over the
/// <c>ofa-onehot</c> architecture encoding (ReLU between layers, accuracy = raw × scale + offset)
/// or an exact table architecture → accuracy. <see cref="Placeholder"/> marks the untrained test predictor.
/// </summary>
public sealed record PredictorFile(
    string Kind,
    string? Encoding,
    int InputLength,
    IReadOnlyList<PredictorLayer> Layers,
    double OutputScale,
    double OutputOffset,
    IReadOnlyDictionary<string, double>? Entries,
    PredictorValidation? Validation,
    bool Placeholder)
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "predictor.json";
    public const string MlpKind = "mlp";
    public const string TableKind = "table";
    public const string OneHotEncoding = "ofa-onehot";

    public static PredictorFile Mlp(IReadOnlyList<PredictorLayer> layers, double outputScale, double outputOffset,
        PredictorValidation? validation = null, bool placeholder = false) =>
        new(MlpKind, OneHotEncoding, layers[0].Inputs, layers, outputScale, outputOffset, null, validation, placeholder);

    public static PredictorFile Table(IReadOnlyDictionary<string, double> entries, bool placeholder = false) =>
        new(TableKind, null, 0, Array.Empty<PredictorLayer>(), 1, 0, entries, null, placeholder);

    /// <summary>
    /// The predictor the search runs: <see cref="MlpPredictor"/> over <paramref name="spec"/>'s encoding, or a
    /// <see cref="TablePredictor"/> of the table's <see cref="AdditiveFit"/> (the raw entries' maximum is a lucky draw).
    /// </summary>
    public IAccuracyPredictor CreatePredictor(SupernetSpec spec) => Kind == TableKind
        ? new TablePredictor(AdditiveFit.Fit(spec, Entries ?? new Dictionary<string, double>()))
        : new MlpPredictor(spec, Layers.Select(l => (l.Weights, l.Bias)).ToArray(), OutputScale, OutputOffset);

    /// <summary>
    /// How a build searches with this predictor: <see cref="SearchOptions.Default"/>, with a fitted predictor's
    /// cross-validated RMSE as its <see cref="SearchOptions.PredictorResolution"/>. A table's additive fit states no
    /// error, and keeps the plain maximum.
    /// </summary>
    public SearchOptions SearchOptions => Kind == MlpKind && Validation is { Rmse: > 0 and < 1 } v
        ? SearchOptions.Default with { PredictorResolution = v.Rmse }
        : SearchOptions.Default;

    public byte[] ToJson()
    {
        var json = new PredictorJson { FormatVersion = CurrentFormatVersion, Kind = Kind, Placeholder = Placeholder ? true : null };
        if (Kind == MlpKind)
        {
            json.Encoding = Encoding;
            json.InputLength = InputLength;
            json.Layers = Layers.Select(l => new LayerJson
            {
                Weights = Enumerable.Range(0, l.Outputs).Select(o => Enumerable.Range(0, l.Inputs).Select(i => l.Weights[o, i]).ToArray()).ToArray(),
                Bias = l.Bias.ToArray(),
            }).ToArray();
            json.OutputScale = OutputScale;
            json.OutputOffset = OutputOffset;
            json.Validation = Validation is null ? null : new ValidationJson { Rmse = Validation.Rmse, KendallTau = Validation.KendallTau, Subnets = Validation.Subnets, Folds = Validation.Folds };
        }
        else
        {
            json.Entries = new SortedDictionary<string, double>(
                (Entries ?? new Dictionary<string, double>()).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        }
        return FormatJson.Serialize(json);
    }

    public void Write(string path) => AtomicFile.Write(path, ToJson());

    public static PredictorFile Read(string path)
    {
        if (!File.Exists(path))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(path)} does not exist.", path,
                "a supernet bundle needs predictor.json beside supernet.json (subnetgen-train writes it).");
        return Parse(File.ReadAllBytes(path), path);
    }

    public static PredictorFile Parse(byte[] utf8, string file)
    {
        const string fix = "compare the file with docs/formats.md (predictor.json) or retrain the predictor.";
        FormatJson.CheckVersion(utf8, file, CurrentFormatVersion, DiagnosticCodes.PredictorInvalid);
        var json = FormatJson.Deserialize<PredictorJson>(utf8, file, DiagnosticCodes.PredictorInvalid, fix);
        SubnetGenException Invalid(string what) => FormatJson.Error(DiagnosticCodes.PredictorInvalid, $"{Path.GetFileName(file)}: {what}.", file, fix);
        bool placeholder = json.Placeholder == true;

        if (json.Kind == TableKind)
        {
            if (json.Entries is null || json.Entries.Count == 0) throw Invalid("a table predictor needs at least one entry");
            foreach (var pair in json.Entries)
                if (double.IsNaN(pair.Value) || double.IsInfinity(pair.Value)) throw Invalid($"entry \"{pair.Key}\" is not a finite number");
            return Table(new SortedDictionary<string, double>(json.Entries, StringComparer.Ordinal), placeholder);
        }
        if (json.Kind != MlpKind) throw Invalid($"\"kind\" is \"{json.Kind}\"; expected mlp or table");
        if (json.Encoding != OneHotEncoding) throw Invalid($"\"encoding\" is \"{json.Encoding}\"; this SubnetGen knows {OneHotEncoding}");
        if (json.Layers is null || json.Layers.Length == 0) throw Invalid("an mlp predictor needs at least one layer");

        var layers = new List<PredictorLayer>();
        int expectedInputs = json.InputLength ?? 0;
        if (expectedInputs <= 0) throw Invalid("\"inputLength\" must be a positive integer");
        for (int l = 0; l < json.Layers.Length; l++)
        {
            var rows = json.Layers[l].Weights ?? throw Invalid($"layers[{l}].weights is missing");
            var bias = json.Layers[l].Bias ?? throw Invalid($"layers[{l}].bias is missing");
            if (rows.Length == 0 || rows.Length != bias.Length)
                throw Invalid($"layers[{l}] has {rows.Length} weight rows and {bias.Length} biases; they must match and be non-zero");
            var weights = new float[rows.Length, expectedInputs];
            for (int o = 0; o < rows.Length; o++)
            {
                if (rows[o] is null || rows[o].Length != expectedInputs)
                    throw Invalid($"layers[{l}].weights[{o}] has {rows[o]?.Length ?? 0} values; expected {expectedInputs} (the previous layer's outputs or inputLength)");
                for (int i = 0; i < expectedInputs; i++) weights[o, i] = rows[o][i];
            }
            layers.Add(new PredictorLayer(weights, bias));
            expectedInputs = rows.Length;
        }
        if (expectedInputs != 1) throw Invalid($"the last layer has {expectedInputs} outputs; expected 1 (the accuracy)");
        var v = json.Validation;
        return new PredictorFile(MlpKind, OneHotEncoding, json.InputLength!.Value, layers, json.OutputScale ?? 1.0, json.OutputOffset ?? 0.0, null,
            v is null ? null : new PredictorValidation(v.Rmse, v.KendallTau, v.Subnets, v.Folds), placeholder);
    }

    internal sealed class PredictorJson
    {
        public int FormatVersion { get; set; }
        public string? Kind { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Placeholder { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Encoding { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? InputLength { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public LayerJson[]? Layers { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? OutputScale { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? OutputOffset { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ValidationJson? Validation { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SortedDictionary<string, double>? Entries { get; set; }
    }

    internal sealed class LayerJson
    {
        public float[][]? Weights { get; set; }
        public float[]? Bias { get; set; }
    }

    internal sealed class ValidationJson
    {
        public double Rmse { get; set; }
        public double KendallTau { get; set; }
        public int Subnets { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Folds { get; set; }
    }
}
