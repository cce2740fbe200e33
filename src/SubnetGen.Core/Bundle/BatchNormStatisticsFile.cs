using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.IO;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Bundle;

/// <summary>
/// <c>bnstats.safetensors</c> (docs/formats.md, formatVersion "2", or "3" with elastic resolution; "1" is still read), optional in a bundle: for
/// each config (canonical <see cref="SubnetConfig.ToString"/>) the BN running statistics recalibrated for that
/// subnet (OFA's <c>set_running_statistics</c> over the calibration images), as the extractor takes them.
/// A BN's recalibrated statistics depend only on the layers before it, so each is stored once per stage prefix it
/// depends on (<see cref="PrefixOf"/>): tensors <c>&lt;prefix&gt;/&lt;bn&gt;.running_mean</c> and
/// <c>&lt;prefix&gt;/&lt;bn&gt;.running_var</c>, F32, length = its active channels, where the prefix is <c>*</c> for
/// <c>stem.*</c>/<c>first.*</c>, the config's stages 0..s for <c>stages.&lt;s&gt;.*</c>, and the whole config for
/// the head; a config with a resolution (<c>…@48</c>) carries it in every prefix (<c>*@48</c>), as the stem sees other
/// images at another resolution (version "3"). Version "1" stored every BN under the whole config. Metadata <c>formatVersion</c> and
/// <c>calibrationImages</c>. A config without an entry is extracted with the supernet's own statistics.
/// </summary>
public sealed class BatchNormStatisticsFile
{
    public const string FileName = "bnstats.safetensors";
    public const string CurrentFormatVersion = "2";
    /// <summary>formatVersion "3": configs with a resolution, whose every prefix ends in it (<c>*@48/stem.bn</c>). Files
    /// without resolutions stay "2", byte for byte.</summary>
    public const string ResolutionFormatVersion = "3";
    /// <summary>formatVersion "1": every BN under the whole config (<c>&lt;config&gt;/&lt;bn&gt;.running_mean</c>); still read.</summary>
    public const string FullConfigFormatVersion = "1";
    /// <summary>The prefix of BNs that depend on no elastic choice (<c>stem.*</c>, <c>first.*</c>).</summary>
    public const string NoStagesPrefix = "*";
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

    /// <summary>
    /// The part of <paramref name="config"/> (a config string, stages separated by <c>|</c>) that the recalibrated
    /// statistics of <paramref name="bn"/> depend on: <see cref="NoStagesPrefix"/> for <c>stem.*</c> and
    /// <c>first.*</c>; stages 0..s for <c>stages.&lt;s&gt;.*</c> (its own stage too: its blocks' depth and expand
    /// choices are one choice); the whole config for everything else (head). Each followed by the config's resolution
    /// (<c>@48</c>) when it has one: every BN sees the input at that resolution.
    /// </summary>
    public static string PrefixOf(string config, string bn)
    {
        int stages = DependsOnStages(bn);
        if (stages < 0) return config;
        var (architecture, resolution) = SplitResolution(config);
        if (stages == 0) return NoStagesPrefix + resolution;
        int end = -1;
        for (int i = 0; i < stages; i++)
        {
            end = architecture.IndexOf('|', end + 1);
            if (end < 0) return config;
        }
        return architecture.Substring(0, end) + resolution;
    }

    /// <summary>A config or prefix split before its resolution suffix: ("k3e3,…|…", "@48"), or (text, "") without one.</summary>
    private static (string Architecture, string Resolution) SplitResolution(string text)
    {
        int at = text.IndexOf('@');
        return at < 0 ? (text, "") : (text.Substring(0, at), text.Substring(at));
    }

    /// <summary>How many leading stages <paramref name="bn"/>'s statistics depend on: 0, s + 1 for stage s, or -1 for all.</summary>
    private static int DependsOnStages(string bn)
    {
        if (bn.StartsWith("stem.", StringComparison.Ordinal) || bn.StartsWith("first.", StringComparison.Ordinal)) return 0;
        const string stagesPrefix = "stages.";
        if (bn.StartsWith(stagesPrefix, StringComparison.Ordinal))
        {
            int dot = bn.IndexOf('.', stagesPrefix.Length);
            if (dot > stagesPrefix.Length && int.TryParse(bn.Substring(stagesPrefix.Length, dot - stagesPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int stage))
                return stage + 1;
        }
        return -1;
    }

    private static int StageCount(string prefix)
    {
        string architecture = SplitResolution(prefix).Architecture;
        return architecture == NoStagesPrefix ? 0 : architecture.Count(c => c == '|') + 1;
    }

    /// <summary>
    /// Layout v2: each (prefix, BN) once, with the values of the ordinally first config that has it (configs sharing
    /// a prefix have the same statistics when computed by the prefix walk of <c>subnetgen-train recalibrate</c>).
    /// </summary>
    public byte[] ToBytes()
    {
        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var config in Configs.OrderBy(c => c.Key, StringComparer.Ordinal))
            foreach (var bn in config.Value)
            {
                string key = PrefixOf(config.Key, bn.Key) + "/" + bn.Key;
                if (tensors.ContainsKey(key + MeanSuffix)) continue;
                tensors.Add(key + MeanSuffix, Vector(bn.Value.RunningMean));
                tensors.Add(key + VarSuffix, Vector(bn.Value.RunningVar));
            }
        var metadata = new Dictionary<string, string>
        {
            ["formatVersion"] = Configs.Keys.Any(k => k.Contains('@')) ? ResolutionFormatVersion : CurrentFormatVersion,
            ["calibrationImages"] = CalibrationImages.ToString(CultureInfo.InvariantCulture),
        };
        return Safetensors.ToBytes(tensors, metadata);
    }

    private static WeightTensor Vector(float[] values) => new(new[] { values.Length }, values);

    public void Write(string path) => AtomicFile.Write(path, ToBytes());

    /// <summary>Reads the file and checks it (as <see cref="Validate"/> does) against the supernet structure it belongs to.</summary>
    public static BatchNormStatisticsFile Read(string path, SupernetSpec spec)
    {
        if (!File.Exists(path))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(path)} does not exist.", path, Fix);
        return Parse(File.ReadAllBytes(path), path, spec);
    }

    /// <summary>
    /// Reads layout v2 (or v1) back into the per-config view: the configs are the keys' whole-config prefixes
    /// (as many stages as <paramref name="spec"/>); for each, every BN the subnet uses is looked up under its
    /// prefix (<see cref="PrefixOf"/>; in v1 the whole config), so configs sharing a prefix share the arrays.
    /// Every stored vector must be used by some config, with the BN's active channel count and finite values.
    /// </summary>
    public static BatchNormStatisticsFile Parse(byte[] bytes, string file, SupernetSpec spec)
    {
        var content = Safetensors.Read(bytes, file);
        content.Metadata.TryGetValue("formatVersion", out var version);
        if (version != CurrentFormatVersion && version != FullConfigFormatVersion && version != ResolutionFormatVersion)
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.UnsupportedFormatVersion,
                $"{Path.GetFileName(file)} has formatVersion {version ?? "(missing)"}; this SubnetGen reads formatVersion {FullConfigFormatVersion}, {CurrentFormatVersion} or {ResolutionFormatVersion}.",
                file, 0, 0, "use a SubnetGen version that matches the supernet, or " + Fix));
        bool fullConfigKeys = version == FullConfigFormatVersion;
        // Version 2 shared the stem's and stages' statistics across resolutions (one resolution's for all): wrong values.
        if (version == CurrentFormatVersion && content.Tensors.Keys.Any(k => k.Contains('@')))
            throw Invalid(file, "formatVersion 2 holds configs with resolutions, whose stem and stage statistics it stored for one resolution only (a SubnetGen before formatVersion 3 wrote it)");
        if (!content.Metadata.TryGetValue("calibrationImages", out var imagesText)
            || !int.TryParse(imagesText, NumberStyles.None, CultureInfo.InvariantCulture, out int images))
            throw Invalid(file, "the metadata needs \"calibrationImages\", a non-negative integer");

        // Per prefix, per BN, the stored statistics.
        var stored = new SortedDictionary<string, SortedDictionary<string, BatchNormStatistics>>(StringComparer.Ordinal);
        var means = new Dictionary<(string Prefix, string Bn), float[]>();
        var vars = new Dictionary<(string Prefix, string Bn), float[]>();
        string layout = fullConfigKeys ? "<config>/<bn>" : "<prefix>/<bn>";
        foreach (var pair in content.Tensors)
        {
            int slash = pair.Key.IndexOf('/');
            if (slash <= 0 || slash == pair.Key.Length - 1 || pair.Key.IndexOf('/', slash + 1) >= 0 || pair.Value.Shape.Count != 1)
                throw Invalid(file, $"tensor \"{pair.Key}\" is not a vector named {layout}.running_mean or .running_var");
            string prefix = pair.Key.Substring(0, slash), name = pair.Key.Substring(slash + 1);
            if (name.EndsWith(MeanSuffix, StringComparison.Ordinal)) means[(prefix, name.Substring(0, name.Length - MeanSuffix.Length))] = pair.Value.Data;
            else if (name.EndsWith(VarSuffix, StringComparison.Ordinal)) vars[(prefix, name.Substring(0, name.Length - VarSuffix.Length))] = pair.Value.Data;
            else throw Invalid(file, $"tensor \"{pair.Key}\" ends neither in {MeanSuffix} nor in {VarSuffix}");
        }
        foreach (var key in means.Keys.Union(vars.Keys).OrderBy(k => k.Prefix, StringComparer.Ordinal).ThenBy(k => k.Bn, StringComparer.Ordinal))
        {
            if (!means.TryGetValue(key, out var mean) || !vars.TryGetValue(key, out var variance))
                throw Invalid(file, $"\"{key.Prefix}\" has only one of {key.Bn}{MeanSuffix} and {key.Bn}{VarSuffix}");
            if (!stored.TryGetValue(key.Prefix, out var bns)) stored[key.Prefix] = bns = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
            bns[key.Bn] = new BatchNormStatistics(mean, variance);
        }

        // The configs: every prefix of whole-config length (v1: every prefix), checked like Validate does.
        int stageCount = spec.Stages.Count;
        var configs = new SortedDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>>(StringComparer.Ordinal);
        var used = new HashSet<(string Prefix, string Bn)>();
        foreach (var configText in stored.Keys.Where(p => fullConfigKeys || StageCount(p) >= stageCount))
        {
            var expected = ActiveBatchNorms(spec, configText, file);
            var entry = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
            foreach (var bn in expected)
            {
                string prefix = fullConfigKeys ? configText : PrefixOf(configText, bn.Name);
                if (!stored.TryGetValue(prefix, out var bns) || !bns.TryGetValue(bn.Name, out var statistics))
                    throw Invalid(file, $"config \"{configText}\" has no statistics for {bn.Name}, which the subnet uses"
                        + (prefix == configText ? "" : $" (looked for {prefix}/{bn.Name})"));
                if (used.Add((prefix, bn.Name))) CheckValues(file, prefix + "/" + bn.Name, statistics, bn, configText);
                else if (statistics.RunningMean.Length != bn.Channels)
                    throw Invalid(file, string.Format(CultureInfo.InvariantCulture,
                        "{0}/{1}{2} has {3} values; {1} has {4} active channels in config \"{5}\"", prefix, bn.Name, MeanSuffix, statistics.RunningMean.Length, bn.Channels, configText));
                entry[bn.Name] = statistics;
            }
            configs[configText] = entry;
        }

        // Every stored vector belongs to some config.
        foreach (var pair in stored)
            foreach (var bn in pair.Value.Keys)
            {
                string prefix = pair.Key;
                if (used.Contains((prefix, bn))) continue;
                int depends = DependsOnStages(bn), stages = StageCount(prefix);
                if (!fullConfigKeys && depends != stages && !(depends < 0 && stages >= stageCount))
                    throw Invalid(file, $"\"{prefix}/{bn}\" is stored under {Stages(stages)}; {bn}'s statistics depend on {Stages(depends < 0 ? stageCount : depends)} (docs/formats.md)");
                if (configs.ContainsKey(prefix))
                    throw Invalid(file, $"config \"{prefix}\" has statistics for \"{bn}\", which is not a BN this subnet uses");
                throw Invalid(file, $"\"{prefix}/{bn}\": no config in the file starts with \"{prefix}\" and uses {bn}");
            }

        // Each config's entry is exactly its subnet's BNs, each vector checked: what Validate checks, already done.
        return new BatchNormStatisticsFile(configs, images);
    }

    private static string Stages(int count) => count switch
    {
        0 => "no stage (prefix " + NoStagesPrefix + ")",
        1 => "the first stage",
        _ => "the first " + count.ToString(CultureInfo.InvariantCulture) + " stages",
    };

    /// <summary>The BNs the subnet <paramref name="configText"/> uses, after checking it is canonical and in the design space.</summary>
    private static IReadOnlyList<ActiveBatchNorm> ActiveBatchNorms(SupernetSpec spec, string configText, string file)
    {
        if (!SubnetConfig.TryParse(configText, out var config, out var error) || config!.ToString() != configText)
            throw Invalid(file, $"\"{configText}\" is not a config in canonical form ({error ?? "e.g. k3e3,k3e3|k5e4,k5e4,k5e4"})");
        try { return SubnetExtractor.ActiveBatchNorms(spec, config); }
        catch (SubnetGenException e) { throw Invalid(file, e.Diagnostic.Message.TrimEnd('.')); }
    }

    /// <summary>Lengths = active channels of <paramref name="bn"/>, values finite, variances ≥ 0; <paramref name="key"/> names the vectors in messages.</summary>
    private static void CheckValues(string file, string key, BatchNormStatistics statistics, ActiveBatchNorm bn, string config)
    {
        foreach (var (suffix, values) in new[] { (MeanSuffix, statistics.RunningMean), (VarSuffix, statistics.RunningVar) })
        {
            if (values.Length != bn.Channels)
                throw Invalid(file, string.Format(CultureInfo.InvariantCulture,
                    "{0}{1} has {2} values; {3} has {4} active channels in config \"{5}\"", key, suffix, values.Length, bn.Name, bn.Channels, config));
            if (values.Any(v => float.IsNaN(v) || float.IsInfinity(v) || (suffix == VarSuffix && v < 0)))
                throw Invalid(file, $"{key}{suffix} holds a value that is not finite" + (suffix == VarSuffix ? " or is negative" : ""));
        }
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
            var expected = ActiveBatchNorms(spec, entry.Key, file);
            var used = new HashSet<string>(expected.Select(bn => bn.Name), StringComparer.Ordinal);
            foreach (var name in entry.Value.Keys)
                if (!used.Contains(name))
                    throw Invalid(file, $"config \"{entry.Key}\" has statistics for \"{name}\", which is not a BN this subnet uses");
            foreach (var bn in expected)
            {
                if (!entry.Value.TryGetValue(bn.Name, out var statistics))
                    throw Invalid(file, $"config \"{entry.Key}\" has no statistics for {bn.Name}, which the subnet uses");
                CheckValues(file, entry.Key + "/" + bn.Name, statistics, bn, entry.Key);
            }
        }
    }

    private static SubnetGenException Invalid(string file, string why) =>
        FormatJson.Error(DiagnosticCodes.BatchNormStatisticsFileInvalid, $"{Path.GetFileName(file)}: {why}.", file, Fix);
}
