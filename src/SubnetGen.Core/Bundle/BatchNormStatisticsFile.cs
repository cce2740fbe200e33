using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Bundle;

/// <summary>
/// <c>bnstats.safetensors</c> (docs/formats.md, formatVersion "1"), optional in a bundle: for each config
/// (canonical <see cref="SubnetConfig.ToString"/>) the BN running statistics recalibrated for that subnet
/// (OFA's <c>set_running_statistics</c> over the calibration images), as the extractor takes them.
/// Tensors <c>&lt;config&gt;/&lt;bn&gt;.running_mean</c> and <c>&lt;config&gt;/&lt;bn&gt;.running_var</c>, F32,
/// one per BN the subnet uses, length = its active channels; metadata <c>formatVersion</c> and
/// <c>calibrationImages</c>. A config without an entry is extracted with the supernet's own statistics.
/// </summary>
public sealed class BatchNormStatisticsFile
{
    public const string FileName = "bnstats.safetensors";
    public const string CurrentFormatVersion = "1";
    private const string MeanSuffix = ".running_mean";
    private const string VarSuffix = ".running_var";
    private const string Fix = "recompute the statistics for this supernet: subnetgen-train recalibrate --bundle <folder>.";

    /// <param name="configs">Per canonical config string, per BN name (<c>stem.bn</c>, …), the statistics of the active channels.</param>
    /// <param name="calibrationImages">How many calibration images the statistics were measured on.</param>
    public BatchNormStatisticsFile(IReadOnlyDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> configs, int calibrationImages)
    {
        if (calibrationImages < 0) throw new ArgumentOutOfRangeException(nameof(calibrationImages), calibrationImages, "must not be negative.");
        Configs = configs;
        CalibrationImages = calibrationImages;
    }

    /// <summary>Per canonical config string, per BN name, the recalibrated statistics of the active channels.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> Configs { get; }

    public int CalibrationImages { get; }

    /// <summary>The statistics for <paramref name="config"/> (ready for <see cref="ExtractOptions.BatchNormStatistics"/>), or null when the file has none.</summary>
    public IReadOnlyDictionary<string, BatchNormStatistics>? For(SubnetConfig config) =>
        Configs.TryGetValue(config.ToString(), out var statistics) ? statistics : null;

    public byte[] ToBytes()
    {
        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var config in Configs)
            foreach (var bn in config.Value)
            {
                tensors.Add(config.Key + "/" + bn.Key + MeanSuffix, Vector(bn.Value.RunningMean));
                tensors.Add(config.Key + "/" + bn.Key + VarSuffix, Vector(bn.Value.RunningVar));
            }
        var metadata = new Dictionary<string, string>
        {
            ["formatVersion"] = CurrentFormatVersion,
            ["calibrationImages"] = CalibrationImages.ToString(CultureInfo.InvariantCulture),
        };
        return Safetensors.ToBytes(tensors, metadata);
    }

    private static WeightTensor Vector(float[] values) => new(new[] { values.Length }, values);

    public void Write(string path) => AtomicFile.Write(path, ToBytes());

    /// <summary>Reads and <see cref="Validate"/>s the file against the supernet structure it belongs to.</summary>
    public static BatchNormStatisticsFile Read(string path, SupernetSpec spec)
    {
        if (!File.Exists(path))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(path)} does not exist.", path, Fix);
        return Parse(File.ReadAllBytes(path), path, spec);
    }

    public static BatchNormStatisticsFile Parse(byte[] bytes, string file, SupernetSpec spec)
    {
        var content = Safetensors.Read(bytes, file);
        content.Metadata.TryGetValue("formatVersion", out var version);
        if (version != CurrentFormatVersion)
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.UnsupportedFormatVersion,
                $"{Path.GetFileName(file)} has formatVersion {version ?? "(missing)"}; this SubnetGen reads formatVersion {CurrentFormatVersion}.",
                file, 0, 0, "use a SubnetGen version that matches the supernet, or " + Fix));
        if (!content.Metadata.TryGetValue("calibrationImages", out var imagesText)
            || !int.TryParse(imagesText, NumberStyles.None, CultureInfo.InvariantCulture, out int images))
            throw Invalid(file, "the metadata needs \"calibrationImages\", a non-negative integer");

        var configs = new SortedDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>>(StringComparer.Ordinal);
        var byConfig = content.Tensors.GroupBy(p => p.Key.Split('/')[0], StringComparer.Ordinal);
        foreach (var group in byConfig)
        {
            var means = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var vars = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var pair in group)
            {
                string name = pair.Key.Substring(group.Key.Length).TrimStart('/');
                if (pair.Key.Length == group.Key.Length || pair.Value.Shape.Count != 1)
                    throw Invalid(file, $"tensor \"{pair.Key}\" is not a vector named <config>/<bn>.running_mean or .running_var");
                if (name.EndsWith(MeanSuffix, StringComparison.Ordinal)) means[name.Substring(0, name.Length - MeanSuffix.Length)] = pair.Value.Data;
                else if (name.EndsWith(VarSuffix, StringComparison.Ordinal)) vars[name.Substring(0, name.Length - VarSuffix.Length)] = pair.Value.Data;
                else throw Invalid(file, $"tensor \"{pair.Key}\" ends neither in {MeanSuffix} nor in {VarSuffix}");
            }
            var statistics = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
            foreach (var bn in means.Keys.Union(vars.Keys))
            {
                if (!means.TryGetValue(bn, out var mean) || !vars.TryGetValue(bn, out var variance))
                    throw Invalid(file, $"config \"{group.Key}\" has only one of {bn}{MeanSuffix} and {bn}{VarSuffix}");
                statistics[bn] = new BatchNormStatistics(mean, variance);
            }
            configs[group.Key] = statistics;
        }
        var result = new BatchNormStatisticsFile(configs, images);
        result.Validate(spec, file);
        return result;
    }

    /// <summary>
    /// Every config is canonical and in <paramref name="spec"/>'s design space; its entry holds exactly the BNs the
    /// subnet uses (<see cref="SubnetExtractor.ActiveBatchNorms"/>), each with as many finite values as active
    /// channels (variances ≥ 0). Not every config of the space needs an entry.
    /// </summary>
    public void Validate(SupernetSpec spec, string file)
    {
        foreach (var entry in Configs)
        {
            if (!SubnetConfig.TryParse(entry.Key, out var config, out var error) || config!.ToString() != entry.Key)
                throw Invalid(file, $"\"{entry.Key}\" is not a config in canonical form ({error ?? "e.g. k3e3,k3e3|k5e4,k5e4,k5e4"})");
            IReadOnlyList<ActiveBatchNorm> expected;
            try { expected = SubnetExtractor.ActiveBatchNorms(spec, config); }
            catch (SubnetGenException e) { throw Invalid(file, e.Diagnostic.Message.TrimEnd('.')); }

            var used = new HashSet<string>(expected.Select(bn => bn.Name), StringComparer.Ordinal);
            foreach (var name in entry.Value.Keys)
                if (!used.Contains(name))
                    throw Invalid(file, $"config \"{entry.Key}\" has statistics for \"{name}\", which is not a BN this subnet uses");
            foreach (var bn in expected)
            {
                if (!entry.Value.TryGetValue(bn.Name, out var statistics))
                    throw Invalid(file, $"config \"{entry.Key}\" has no statistics for {bn.Name}, which the subnet uses");
                foreach (var (suffix, values) in new[] { (MeanSuffix, statistics.RunningMean), (VarSuffix, statistics.RunningVar) })
                {
                    if (values.Length != bn.Channels)
                        throw Invalid(file, string.Format(CultureInfo.InvariantCulture,
                            "{0}/{1}{2} has {3} values; {1} has {4} active channels in this subnet", entry.Key, bn.Name, suffix, values.Length, bn.Channels));
                    if (values.Any(v => float.IsNaN(v) || float.IsInfinity(v) || (suffix == VarSuffix && v < 0)))
                        throw Invalid(file, $"{entry.Key}/{bn.Name}{suffix} holds a value that is not finite" + (suffix == VarSuffix ? " or is negative" : ""));
                }
            }
        }
    }

    private static SubnetGenException Invalid(string file, string why) =>
        FormatJson.Error(DiagnosticCodes.BatchNormStatisticsFileInvalid, $"{Path.GetFileName(file)}: {why}.", file, Fix);
}
