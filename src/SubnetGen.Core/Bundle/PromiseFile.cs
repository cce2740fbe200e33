using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.IO;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Bundle;

/// <summary>
/// <c>promise.json</c> (docs/formats.md, optional): for every config of a table-predictor supernet, how many of
/// <see cref="Images"/> held-out images it classifies right. The images are disjoint from those that trained the
/// supernet, recalibrated its BN and filled the predictor table the search maximises over, so the count is an
/// unbiased measurement of the config the search picks: what the build promises (<see cref="AccuracyPromise"/>).
/// </summary>
public sealed record PromiseFile(int Images, string Split, IReadOnlyDictionary<string, int> Correct)
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "promise.json";

    /// <summary>The promise for <paramref name="config"/>, or null when the file does not list it.</summary>
    public AccuracyPromise? For(SubnetConfig config) =>
        Correct.TryGetValue(config.ToString(), out int correct) ? AccuracyPromise.FromCount(correct, Images) : null;

    /// <summary>
    /// <paramref name="result"/> with the held-out promise of its pick and of every front point. The search chose them on
    /// the predictor table's images, which are disjoint from these, so no selection correction is needed.
    /// </summary>
    public SearchResult Apply(SearchResult result)
    {
        IReadOnlyList<ParetoPoint> With(IReadOnlyList<ParetoPoint> front) => front.Select(p => p with { Promise = For(p.Config) }).ToList();
        return result with
        {
            Promise = For(result.Config),
            ParetoByMacs = With(result.ParetoByMacs),
            ParetoByPeakMemory = With(result.ParetoByPeakMemory),
            ParetoByWeights = With(result.ParetoByWeights),
            ParetoByLatency = With(result.ParetoByLatency),
        };
    }

    public byte[] ToJson() => FormatJson.Serialize(new PromiseJson
    {
        FormatVersion = CurrentFormatVersion,
        Images = Images,
        Split = Split,
        Correct = new SortedDictionary<string, int>(Correct.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal),
    });

    public void Write(string path) => AtomicFile.Write(path, ToJson());

    public static PromiseFile Read(string path, SupernetSpec spec) => Parse(File.ReadAllBytes(path), path, spec);

    public static PromiseFile Parse(byte[] utf8, string file, SupernetSpec spec)
    {
        const string fix = "measure it again with `subnetgen-train promise --bundle <folder> --data <data>` (docs/training.md), or delete it: the build then promises the predictor's value.";
        FormatJson.CheckVersion(utf8, file, CurrentFormatVersion, DiagnosticCodes.PromiseInvalid);
        var json = FormatJson.Deserialize<PromiseJson>(utf8, file, DiagnosticCodes.PromiseInvalid, fix);
        SubnetGenException Invalid(string what) => FormatJson.Error(DiagnosticCodes.PromiseInvalid, $"{Path.GetFileName(file)}: {what}.", file, fix);
        if (json.Images <= 0) throw Invalid($"\"images\" is {json.Images}; it must be the positive number of held-out images each config was measured on");
        if (json.Correct is null || json.Correct.Count == 0) throw Invalid("\"correct\" lists no config");
        foreach (var pair in json.Correct)
        {
            string architecture = pair.Key;
            int correct = pair.Value;
            if (correct < 0 || correct > json.Images)
                throw Invalid($"\"{architecture}\" has {correct} correct of {json.Images} images");
            if (!SubnetConfig.TryParse(architecture, out var config, out string? error) || !spec.Space.Contains(config!, out error))
                throw Invalid($"\"{architecture}\" is not a config of this supernet: {error}");
            if (config!.Stages.Count != spec.Stages.Count)
                throw Invalid($"\"{architecture}\" has {config.Stages.Count} stages; this supernet has {spec.Stages.Count}");
            if (config!.ToString() != architecture)
                throw Invalid($"\"{architecture}\" is not in canonical form (\"{config}\")");
        }
        return new PromiseFile(json.Images, json.Split ?? "", new SortedDictionary<string, int>(json.Correct, StringComparer.Ordinal));
    }

    internal sealed class PromiseJson
    {
        public int FormatVersion { get; set; }
        public int Images { get; set; }
        public string? Split { get; set; }
        public SortedDictionary<string, int>? Correct { get; set; }
    }
}
