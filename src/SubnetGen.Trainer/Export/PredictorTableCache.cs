using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;

namespace SubnetGen.Trainer.Export;

/// <summary>
/// The exact predictor table's measured configs (CompOFA, MOOFA: 243, ≈ 5 min here), one file each in
/// <c>&lt;out&gt;/predictor-table/&lt;index&gt;.safetensors</c> as they are measured: the config's recalibrated BN
/// statistics as tensors, the config, its accuracy and a key as metadata. Each file is written under a temporary
/// name and renamed, so a killed export leaves whole files only, and <c>--resume</c> measures just the rest.
/// The key is <see cref="PredictorSamples.Key"/>'s: a file of another model or other measurement settings is measured again.
/// </summary>
internal sealed class PredictorTableCache
{
    public const string FolderName = "predictor-table";
    private const string MeanSuffix = ".running_mean";
    private const string VarSuffix = ".running_var";

    private readonly string _folder;
    private readonly string _key;

    private PredictorTableCache(string folder, string key)
    {
        _folder = folder;
        _key = key;
    }

    public static PredictorTableCache Open(string outputFolder, string key)
    {
        string folder = Path.Combine(outputFolder, FolderName);
        Directory.CreateDirectory(folder);
        return new PredictorTableCache(folder, key);
    }

    private string PathOf(int index) => Path.Combine(_folder, index.ToString(CultureInfo.InvariantCulture) + ".safetensors");

    /// <summary>The measurement of config number <paramref name="index"/>, when a file of this key holds it.</summary>
    public bool TryGet(int index, SubnetConfig config, out double accuracy, out IReadOnlyDictionary<string, BatchNormStatistics> statistics)
    {
        accuracy = 0;
        statistics = new Dictionary<string, BatchNormStatistics>();
        string path = PathOf(index);
        if (!File.Exists(path)) return false;
        var content = Safetensors.Read(path);
        if (!content.Metadata.TryGetValue("key", out var key) || key != _key) return false;
        // Same key, same enumeration: another config here is a file put there by hand.
        if (content.Metadata.GetValueOrDefault("config") != config.ToString())
            throw new InvalidDataException($"{path} holds {content.Metadata.GetValueOrDefault("config")}, but config {index} of this space is {config}; delete {_folder} to measure the table again.");
        accuracy = double.Parse(content.Metadata["accuracy"], NumberStyles.Float, CultureInfo.InvariantCulture);
        var read = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
        foreach (var name in content.Tensors.Keys.Where(n => n.EndsWith(MeanSuffix, StringComparison.Ordinal)))
        {
            string bn = name.Substring(0, name.Length - MeanSuffix.Length);
            read[bn] = new BatchNormStatistics(content.Tensors[name].Data, content.Tensors[bn + VarSuffix].Data);
        }
        statistics = read;
        return true;
    }

    /// <summary>Saves config number <paramref name="index"/>'s measurement (temporary file, then rename).</summary>
    public void Add(int index, SubnetConfig config, double accuracy, IReadOnlyDictionary<string, BatchNormStatistics> statistics)
    {
        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var (bn, s) in statistics)
        {
            tensors[bn + MeanSuffix] = new WeightTensor(new[] { s.RunningMean.Length }, s.RunningMean);
            tensors[bn + VarSuffix] = new WeightTensor(new[] { s.RunningVar.Length }, s.RunningVar);
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["key"] = _key,
            ["config"] = config.ToString(),
            ["accuracy"] = accuracy.ToString("R", CultureInfo.InvariantCulture),
        };
        string path = PathOf(index), temporary = path + ".tmp";
        File.WriteAllBytes(temporary, Safetensors.ToBytes(tensors, metadata));
        File.Move(temporary, path, overwrite: true);
    }
}
