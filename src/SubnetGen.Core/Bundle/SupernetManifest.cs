using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.IO;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Bundle;

/// <summary>
/// How a supernet was trained (free text where the trainer knows more than a number). The image counts say which
/// images did what: the validation split held out of training, its first <see cref="CalibrationImages"/> for BN
/// recalibration, the next <see cref="PredictorImages"/> for the predictor; the rest of the split no product path has
/// seen (docs/search.md). Null where a bundle predates them.
/// </summary>
public sealed record Provenance(
    string? Tool = null,
    string? Dataset = null,
    string? Schedule = null,
    int Epochs = 0,
    double WallTimeSeconds = 0,
    string? Device = null,
    int? Seed = null,
    int? ValidationImages = null,
    int? CalibrationImages = null,
    int? PredictorImages = null);

/// <summary>Measured top-1 accuracy (fraction in [0,1]) of three reference subnets on <see cref="Split"/>; null when not measured.</summary>
public sealed record MeasuredAccuracy(double? Smallest = null, double? Middle = null, double? Largest = null, string Split = "test")
{
    public static readonly MeasuredAccuracy NotMeasured = new();
}

/// <summary>
/// <c>supernet.json</c> (docs/formats.md, formatVersion 1): identity, structure and design space
/// (<see cref="Spec"/>, whose <see cref="SupernetSpec.ClassCount"/> is the label count), labels,
/// provenance and measured accuracies.
/// </summary>
public sealed record SupernetManifest(
    string Id,
    string Version,
    bool Trained,
    SupernetSpec Spec,
    IReadOnlyList<string> Labels,
    Provenance Provenance,
    MeasuredAccuracy Accuracy)
{
    /// <summary>Version 2 adds <c>space.resolutions</c> (elastic input resolution); a manifest without them is written as version 1, byte for byte as before.</summary>
    public const int CurrentFormatVersion = 2;
    public const int OldestFormatVersion = 1;
    public const string FileName = "supernet.json";

    public Family Family => Spec.Space.Family;

    public byte[] ToJson()
    {
        if (Labels.Count != Spec.ClassCount)
            throw new InvalidOperationException($"The manifest has {Labels.Count} labels but the supernet {Spec.ClassCount} classes.");
        var space = Spec.Space;
        return FormatJson.Serialize(new ManifestJson
        {
            FormatVersion = space.IsResolutionElastic ? CurrentFormatVersion : OldestFormatVersion,
            Id = Id,
            Version = Version,
            Family = FormatNames.Of(space.Family),
            Trained = Trained,
            Input = new InputJson
            {
                Height = Spec.Input.Height, Width = Spec.Input.Width, Channels = Spec.Input.Channels,
                Mean = Spec.Input.Mean.ToArray(), Std = Spec.Input.Std.ToArray(),
            },
            Labels = Labels.ToArray(),
            Stem = new StemJson { OutChannels = Spec.Stem.OutChannels, Kernel = Spec.Stem.Kernel, Stride = Spec.Stem.Stride, Activation = FormatNames.Of(Spec.Stem.Activation) },
            FirstBlock = new FirstBlockJson { OutChannels = Spec.FirstBlock.OutChannels, Kernel = Spec.FirstBlock.Kernel, Activation = FormatNames.Of(Spec.FirstBlock.Activation) },
            Stages = Spec.Stages.Select(s => new StageJson
            {
                Width = s.Width, Stride = s.Stride, Activation = FormatNames.Of(s.Activation), SqueezeExcite = s.SqueezeExcite, MaxDepth = s.MaxDepth,
            }).ToArray(),
            Head = new HeadJson { FinalExpandChannels = Spec.Head.FinalExpandChannels, FeatureMixChannels = Spec.Head.FeatureMixChannels },
            Space = new SpaceJson
            {
                KernelSizes = space.KernelSizes.ToArray(),
                ExpandRatios = space.ExpandRatios.ToArray(),
                Depths = space.Depths.ToArray(),
                CoupledExpandByDepth = space.CoupledExpandByDepth is null ? null : new SortedDictionary<int, int>(space.CoupledExpandByDepth.ToDictionary(p => p.Key, p => p.Value)),
                FixedKernels = space.FixedKernels?.ToArray(),
                Resolutions = space.Resolutions?.ToArray(),
            },
            Provenance = new ProvenanceJson
            {
                Tool = Provenance.Tool, Dataset = Provenance.Dataset, Schedule = Provenance.Schedule, Epochs = Provenance.Epochs,
                WallTimeSeconds = Provenance.WallTimeSeconds, Device = Provenance.Device, Seed = Provenance.Seed,
                ValidationImages = Provenance.ValidationImages, CalibrationImages = Provenance.CalibrationImages, PredictorImages = Provenance.PredictorImages,
            },
            Accuracy = new AccuracyJson { Smallest = Accuracy.Smallest, Middle = Accuracy.Middle, Largest = Accuracy.Largest, Split = Accuracy.Split },
        });
    }

    public void Write(string path) => AtomicFile.Write(path, ToJson());

    public static SupernetManifest Read(string path)
    {
        if (!File.Exists(path))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(path)} does not exist.", path,
                "point SubnetGen at a supernet bundle folder (it holds supernet.json, weights.safetensors, predictor.json, calibration.bin).");
        return Parse(File.ReadAllBytes(path), path);
    }

    public static SupernetManifest Parse(byte[] utf8, string file)
    {
        const string fix = "compare the file with docs/formats.md (supernet.json) or re-export the supernet.";
        FormatJson.CheckVersion(utf8, file, OldestFormatVersion, CurrentFormatVersion, DiagnosticCodes.ManifestInvalid);
        var json = FormatJson.Deserialize<ManifestJson>(utf8, file, DiagnosticCodes.ManifestInvalid, fix);

        SubnetGenException Invalid(string what) => FormatJson.Error(DiagnosticCodes.ManifestInvalid, $"{Path.GetFileName(file)}: {what}.", file, fix);
        T Need<T>(T? value, string field) where T : class => value ?? throw Invalid($"\"{field}\" is missing");
        Activation Act(string? text, string field) =>
            FormatNames.TryParseActivation(text, out var a) ? a : throw Invalid($"\"{field}\" is \"{text}\"; expected {Spellings.ActivationList()}");

        string id = Need(json.Id, "id"), version = Need(json.Version, "version");
        if (!FormatNames.TryParseFamily(json.Family, out var family))
            throw Invalid($"\"family\" is \"{json.Family}\"; expected ofa, compofa or moofa");
        var input = Need(json.Input, "input");
        var labels = Need(json.Labels, "labels");
        var stem = Need(json.Stem, "stem");
        var first = Need(json.FirstBlock, "firstBlock");
        var stages = Need(json.Stages, "stages");
        var head = Need(json.Head, "head");
        var space = Need(json.Space, "space");

        SupernetSpec spec;
        try
        {
            var designSpace = new DesignSpace(family,
                Need(space.KernelSizes, "space.kernelSizes"), Need(space.ExpandRatios, "space.expandRatios"), Need(space.Depths, "space.depths"),
                space.CoupledExpandByDepth, space.FixedKernels, space.Resolutions);
            spec = new SupernetSpec(
                new InputSpec(input.Height, input.Width, input.Channels, Need(input.Mean, "input.mean"), Need(input.Std, "input.std")),
                new StemSpec(stem.OutChannels, stem.Kernel, stem.Stride, Act(stem.Activation, "stem.activation")),
                new FirstBlockSpec(first.OutChannels, first.Kernel, Act(first.Activation, "firstBlock.activation")),
                stages.Select((s, i) => new StageSpec(s.Width, s.Stride, Act(s.Activation, $"stages[{i}].activation"), s.SqueezeExcite, s.MaxDepth)).ToArray(),
                new HeadSpec(head.FinalExpandChannels, head.FeatureMixChannels),
                labels.Length,
                designSpace);
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message.TrimEnd('.'));
        }

        var p = json.Provenance ?? new ProvenanceJson();
        var a = json.Accuracy ?? new AccuracyJson();
        return new SupernetManifest(id, version, json.Trained, spec, labels,
            new Provenance(p.Tool, p.Dataset, p.Schedule, p.Epochs, p.WallTimeSeconds, p.Device, p.Seed, p.ValidationImages, p.CalibrationImages, p.PredictorImages),
            new MeasuredAccuracy(a.Smallest, a.Middle, a.Largest, a.Split ?? "test"));
    }

    // JSON shapes of docs/formats.md; property order here is the order in the file.
    internal sealed class ManifestJson
    {
        public int FormatVersion { get; set; }
        public string? Id { get; set; }
        public string? Version { get; set; }
        public string? Family { get; set; }
        public bool Trained { get; set; }
        public InputJson? Input { get; set; }
        public string[]? Labels { get; set; }
        public StemJson? Stem { get; set; }
        public FirstBlockJson? FirstBlock { get; set; }
        public StageJson[]? Stages { get; set; }
        public HeadJson? Head { get; set; }
        public SpaceJson? Space { get; set; }
        public ProvenanceJson? Provenance { get; set; }
        public AccuracyJson? Accuracy { get; set; }
    }

    internal sealed class InputJson
    {
        public int Height { get; set; }
        public int Width { get; set; }
        public int Channels { get; set; }
        public float[]? Mean { get; set; }
        public float[]? Std { get; set; }
    }

    internal sealed class StemJson
    {
        public int OutChannels { get; set; }
        public int Kernel { get; set; }
        public int Stride { get; set; }
        public string? Activation { get; set; }
    }

    internal sealed class FirstBlockJson
    {
        public int OutChannels { get; set; }
        public int Kernel { get; set; }
        public string? Activation { get; set; }
    }

    internal sealed class StageJson
    {
        public int Width { get; set; }
        public int Stride { get; set; }
        public string? Activation { get; set; }
        public bool SqueezeExcite { get; set; }
        public int MaxDepth { get; set; }
    }

    internal sealed class HeadJson
    {
        public int FinalExpandChannels { get; set; }
        public int FeatureMixChannels { get; set; }
    }

    internal sealed class SpaceJson
    {
        public int[]? KernelSizes { get; set; }
        public int[]? ExpandRatios { get; set; }
        public int[]? Depths { get; set; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public SortedDictionary<int, int>? CoupledExpandByDepth { get; set; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public int[]? FixedKernels { get; set; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public int[]? Resolutions { get; set; }
    }

    internal sealed class ProvenanceJson
    {
        public string? Tool { get; set; }
        public string? Dataset { get; set; }
        public string? Schedule { get; set; }
        public int Epochs { get; set; }
        public double WallTimeSeconds { get; set; }
        public string? Device { get; set; }
        public int? Seed { get; set; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public int? ValidationImages { get; set; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public int? CalibrationImages { get; set; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public int? PredictorImages { get; set; }
    }

    internal sealed class AccuracyJson
    {
        public double? Smallest { get; set; }
        public double? Middle { get; set; }
        public double? Largest { get; set; }
        public string? Split { get; set; }
    }
}
