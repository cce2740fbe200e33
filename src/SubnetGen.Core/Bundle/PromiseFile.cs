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

/// <summary>
/// How far a fitted predictor overestimates the search's picks, measured on held-out images: the mean of (predicted −
/// held-out accuracy) over <see cref="Subnets"/> picks, and the standard deviation of that error.
/// </summary>
public sealed record PromiseCorrection(double Offset, double StandardDeviation, int Subnets);

/// <summary>
/// <c>promise.json</c> (docs/formats.md, optional): what the build promises, measured on <see cref="Images"/> held-out
/// images disjoint from those that trained the supernet, recalibrated its BN and fitted or filled its predictor. For a
/// table supernet, every config's count of right answers (<see cref="Correct"/>): an unbiased measurement of whichever
/// config the search picks from the table. For a fitted predictor (OFA), whose space is too large to measure, the
/// predictor's bias on the search's own picks (<see cref="Correction"/>), which the build subtracts (<see cref="AccuracyPromise"/>).
/// </summary>
public sealed record PromiseFile(int Images, string Split, IReadOnlyDictionary<string, int> Correct, PromiseCorrection? Correction = null)
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "promise.json";

    /// <summary>The promise for <paramref name="config"/>, whose predictor value is <paramref name="predicted"/>; null when a count file does not list it.</summary>
    public AccuracyPromise? For(SubnetConfig config, double predicted) =>
        Correction is { } c ? AccuracyPromise.FromCorrection(predicted, c.Offset, c.StandardDeviation, c.Subnets, Images)
        : Correct.TryGetValue(config.ToString(), out int correct) ? AccuracyPromise.FromCount(correct, Images) : null;

    /// <summary>
    /// <paramref name="result"/> with the promise of its pick and of every front point. A count was measured on images the
    /// search's table never saw, so the pick's count needs no selection correction; a <see cref="Correction"/> was measured
    /// on the search's own picks, so it is the selection correction.
    /// </summary>
    public SearchResult Apply(SearchResult result)
    {
        IReadOnlyList<ParetoPoint> With(IReadOnlyList<ParetoPoint> front) => front.Select(p => p with { Promise = For(p.Config, p.PredictedAccuracy) }).ToList();
        return result with
        {
            Promise = For(result.Config, result.PredictedAccuracy),
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
        Correct = Correction is null ? new SortedDictionary<string, int>(Correct.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal) : null,
        Correction = Correction is { } c ? new CorrectionJson { Offset = c.Offset, StandardDeviation = c.StandardDeviation, Subnets = c.Subnets } : null,
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
        if (json.Correction is { } correction)
        {
            if (json.Correct is not null) throw Invalid("it has both \"correct\" and \"correction\"; a table supernet counts per config, a fitted one corrects");
            if (correction.Subnets < 2) throw Invalid($"\"correction.subnets\" is {correction.Subnets}; a correction needs at least two measured picks");
            if (!(Math.Abs(correction.Offset) < 1) || !(correction.StandardDeviation >= 0 && correction.StandardDeviation < 1))
                throw Invalid("\"correction.offset\" must be a fraction between −1 and 1 and \"correction.standardDeviation\" one from 0 to 1");
            return new PromiseFile(json.Images, json.Split ?? "", new SortedDictionary<string, int>(StringComparer.Ordinal),
                new PromiseCorrection(correction.Offset, correction.StandardDeviation, correction.Subnets));
        }
        if (json.Correct is null || json.Correct.Count == 0) throw Invalid("\"correct\" lists no config");
        foreach (var pair in json.Correct)
        {
            string architecture = pair.Key;
            int correct = pair.Value;
            if (correct < 0 || correct > json.Images)
                throw Invalid($"\"{architecture}\" has {correct} correct of {json.Images} images");
            if (!spec.TryParseConfig(architecture, out var config, out string? error))
                throw Invalid($"\"{architecture}\" is not a config of this supernet: {error}");
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
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SortedDictionary<string, int>? Correct { get; set; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CorrectionJson? Correction { get; set; }
    }

    internal sealed class CorrectionJson
    {
        public double Offset { get; set; }
        public double StandardDeviation { get; set; }
        public int Subnets { get; set; }
    }
}
