using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Serialization;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;
using SubnetGen.Core.IO;
using SubnetGen.Core.Search;

namespace SubnetGen.Core.Artifact;

/// <summary>A run of floats in the arena or in the weights file.</summary>
public sealed record ArtifactSlice(int Offset, int Length);

/// <summary>Which supernet the subnet was cut from.</summary>
public sealed record ArtifactSupernet(string Id, string Version, string Family, bool Trained);

/// <summary>Input geometry and per-channel normalisation, applied by the <c>normalize</c> layer.</summary>
public sealed record ArtifactInput(int Height, int Width, int Channels, IReadOnlyList<float> Mean, IReadOnlyList<float> Std);

/// <summary>The interval around a held-out accuracy: <see cref="Images"/> images, <see cref="Confidence"/> (0.95) level.</summary>
public sealed record ArtifactAccuracyInterval(double Lower, double Upper, double Confidence, int Images)
{
    public static ArtifactAccuracyInterval Of(AccuracyPromise promise) => new(promise.Lower, promise.Upper, promise.Confidence, promise.Images);
}

/// <summary>
/// What the search promised and the cost model computed for the chosen subnet. <see cref="PredictedAccuracy"/> is the
/// held-out accuracy when the supernet ships <c>promise.json</c> (then <see cref="AccuracyInterval"/> is set), else the predictor's value.
/// </summary>
public sealed record ArtifactMetrics(
    double? PredictedAccuracy,
    long Macs,
    long Parameters,
    long WeightBytes,
    long PeakMemoryBytes,
    long MoofaPeakElements,
    double? LatencyMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ArtifactAccuracyInterval? AccuracyInterval = null)
{
    /// <summary>The cost model's numbers for the subnet, with the search's predicted accuracy and latency.</summary>
    public static ArtifactMetrics From(SubnetCost cost, double? predictedAccuracy, double? latencyMs) =>
        new(predictedAccuracy, cost.Macs, cost.Parameters, cost.WeightBytes, cost.PeakMemoryBytes, cost.MoofaPeakElements, latencyMs);
}

/// <summary>
/// One layer for the generator. <see cref="Input"/>/<see cref="Output"/> are arena slices, null for the
/// caller's span; the other optional fields are present only where the op uses them (docs/formats.md):
/// kernel and stride for conv and depthwise; activation for conv, depthwise, pointwise and linear;
/// residual when an identity shortcut is added; scratch and reduced for squeezeExcite; weight slices
/// where the op has weights.
/// </summary>
public sealed class ArtifactLayer
{
    public string Op { get; init; } = "";
    public string Name { get; init; } = "";
    public ArtifactSlice? Input { get; init; }
    public ArtifactSlice? Output { get; init; }
    public int[] InShape { get; init; } = Array.Empty<int>();
    public int[] OutShape { get; init; } = Array.Empty<int>();
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Kernel { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Stride { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Activation { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ArtifactSlice? Residual { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ArtifactSlice? Scratch { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Reduced { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ArtifactSlice? Weights { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ArtifactSlice? Bias { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ArtifactSlice? Weights2 { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ArtifactSlice? Bias2 { get; init; }
}

/// <summary>
/// <c>&lt;Model&gt;.subnet.json</c> (docs/formats.md, formatVersion 1): everything the source generator
/// needs to emit straight-line inference — the layer list with arena and weight slices — plus the
/// config, provenance and metrics for humans. Built by <see cref="Create(string, string?, SupernetManifest, string, ExtractedSubnet, ArenaPlan, ArtifactMetrics)"/>,
/// written with <see cref="SubnetArtifactWriter"/>.
/// </summary>
public sealed class SubnetArtifact
{
    public const int CurrentFormatVersion = 1;
    public const string JsonSuffix = ".subnet.json";
    public const string WeightsSuffix = ".weights.bin";

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public string Name { get; init; } = "";
    /// <summary>Null: the consuming project's RootNamespace.</summary>
    public string? Namespace { get; init; }
    public ArtifactSupernet? Supernet { get; init; }
    public string Target { get; init; } = "";
    public string Architecture { get; init; } = "";
    public ArtifactInput? Input { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = Array.Empty<string>();
    public ArtifactMetrics? Metrics { get; init; }
    public int ArenaFloats { get; init; }
    public string WeightsResource { get; init; } = "";
    public int WeightFloats { get; init; }
    public IReadOnlyList<ArtifactLayer> Layers { get; init; } = Array.Empty<ArtifactLayer>();

    public static SubnetArtifact Create(string name, string? @namespace, SupernetManifest manifest, string target,
        ExtractedSubnet subnet, ArenaPlan arena, ArtifactMetrics metrics) =>
        Create(name, @namespace,
            new ArtifactSupernet(manifest.Id, manifest.Version, FormatNames.Of(manifest.Family), manifest.Trained),
            manifest.Labels, target, subnet, arena, metrics);

    /// <summary>
    /// Lays the extracted subnet out for the generator. The metrics' weight bytes and peak memory must be
    /// exactly the layout's and the arena's: the budget the search checked is what ships.
    /// </summary>
    public static SubnetArtifact Create(string name, string? @namespace, ArtifactSupernet supernet, IReadOnlyList<string> labels,
        string target, ExtractedSubnet subnet, ArenaPlan arena, ArtifactMetrics metrics)
    {
        if (metrics.WeightBytes != subnet.Layout.WeightBytes)
            throw new ArgumentException($"Metrics promise {metrics.WeightBytes} weight bytes; the layout holds {subnet.Layout.WeightBytes}.", nameof(metrics));
        if (metrics.PeakMemoryBytes != arena.PeakMemoryBytes)
            throw new ArgumentException($"Metrics promise {metrics.PeakMemoryBytes} peak memory bytes; the arena holds {arena.PeakMemoryBytes}.", nameof(metrics));
        if (subnet.Weights.Length != subnet.Layout.TotalFloats)
            throw new ArgumentException("The extracted weights do not match their layout.", nameof(subnet));

        var graph = subnet.Graph;
        var spec = graph.Spec;
        var layers = new List<ArtifactLayer>(graph.Layers.Count);
        for (int i = 0; i < graph.Layers.Count; i++)
            layers.Add(ToArtifactLayer(graph, arena, graph.Layers[i], subnet.Layout.Layers[i]));

        return new SubnetArtifact
        {
            Name = name,
            Namespace = @namespace,
            Supernet = supernet,
            Target = target,
            Architecture = graph.Config.ToString(),
            // At the config's resolution, where the space has elastic resolution.
            Input = new ArtifactInput(graph.InputShape.Height, graph.InputShape.Width, spec.Input.Channels, spec.Input.Mean.ToArray(), spec.Input.Std.ToArray()),
            Labels = labels.ToArray(),
            Metrics = metrics,
            ArenaFloats = arena.TotalFloats,
            WeightsResource = name + WeightsSuffix,
            WeightFloats = subnet.Layout.TotalFloats,
            Layers = layers,
        };
    }

    private static ArtifactLayer ToArtifactLayer(SubnetGraph graph, ArenaPlan arena, Layer layer, LayerWeights weights)
    {
        ArtifactSlice? Buffer(int tensor) => tensor == Layer.External ? null : new ArtifactSlice(arena.Offsets[tensor], graph.Tensors[tensor].Length);
        ArtifactSlice? Weight(Slice? slice) => slice is { Length: > 0 } s ? new ArtifactSlice(s.Offset, s.Length) : null;
        int[] Shape(TensorShape t) => new[] { t.Height, t.Width, t.Channels };

        var inShape = layer.Input == Layer.External ? graph.InputShape : graph.Tensors[layer.Input];
        var outShape = layer.Output == Layer.External ? inShape : graph.Tensors[layer.Output];
        bool spatial = LayerFields.HasKernel(layer.Op);
        bool activated = LayerFields.HasActivation(layer.Op);
        return new ArtifactLayer
        {
            Op = FormatNames.Of(layer.Op),
            Name = layer.Name,
            Input = Buffer(layer.Input),
            Output = Buffer(layer.Output),
            InShape = Shape(inShape),
            OutShape = Shape(outShape),
            Kernel = spatial ? layer.Kernel : null,
            Stride = spatial ? layer.Stride : null,
            Activation = activated ? FormatNames.Of(layer.Activation) : null,
            Residual = Buffer(layer.Residual),
            Scratch = Buffer(layer.Scratch),
            Reduced = layer.Op == OpKind.SqueezeExcite ? layer.ReducedChannels : null,
            Weights = Weight(weights.Weights),
            Bias = Weight(weights.Bias),
            Weights2 = Weight(weights.Weights2),
            Bias2 = Weight(weights.Bias2),
        };
    }

    public byte[] ToJson() => FormatJson.Serialize(this);

    public static SubnetArtifact Read(string path)
    {
        if (!File.Exists(path))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(path)} does not exist.", path,
                "build the project again: the SubnetGen task writes the artifact under obj/.");
        return Parse(File.ReadAllBytes(path), path);
    }

    public static SubnetArtifact Parse(byte[] utf8, string file)
    {
        const string fix = "delete obj/ and build again so the SubnetGen task rewrites the artifact.";
        FormatJson.CheckVersion(utf8, file, CurrentFormatVersion, DiagnosticCodes.ArtifactInvalid);
        var artifact = FormatJson.Deserialize<SubnetArtifact>(utf8, file, DiagnosticCodes.ArtifactInvalid, fix);
        string? missing =
            artifact.Name.Length == 0 ? "name" :
            artifact.Supernet is null ? "supernet" :
            artifact.Input is null ? "input" :
            artifact.Metrics is null ? "metrics" :
            artifact.WeightsResource.Length == 0 ? "weightsResource" :
            artifact.Layers.Count == 0 ? "layers" :
            null;
        if (missing is not null)
            throw FormatJson.Error(DiagnosticCodes.ArtifactInvalid, $"{Path.GetFileName(file)}: \"{missing}\" is missing.", file, fix);
        return artifact;
    }

    /// <summary>Reads <c>&lt;Model&gt;.weights.bin</c> and checks it holds <see cref="WeightFloats"/> floats.</summary>
    public float[] ReadWeights(string path)
    {
        if (!File.Exists(path))
            throw FormatJson.Error(DiagnosticCodes.FormatFileMissing, $"{Path.GetFileName(path)} does not exist.", path,
                "build the project again: the SubnetGen task writes the weights beside the artifact.");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != WeightFloats * 4L)
            throw FormatJson.Error(DiagnosticCodes.ArtifactWeightsMismatch,
                $"{Path.GetFileName(path)} has {bytes.Length} bytes; {Name}{JsonSuffix} promises {WeightFloats} floats ({WeightFloats * 4L} bytes).",
                path, "delete obj/ and build again so artifact and weights are written together.");
        var weights = new float[WeightFloats];
        FloatBytes.Read(bytes, weights);
        return weights;
    }
}
