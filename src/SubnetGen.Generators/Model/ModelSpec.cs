using System.Globalization;

namespace SubnetGen.Generators.Model;

/// <summary>A run of floats in the arena or in the weights resource.</summary>
internal readonly record struct Slice(int Offset, int Length)
{
    public long End => (long)Offset + Length;

    public bool Overlaps(Slice other) => Length > 0 && other.Length > 0 && Offset < other.End && other.Offset < End;
}

/// <summary>An HWC activation shape.</summary>
internal readonly record struct Shape(int Height, int Width, int Channels)
{
    public long Length => (long)Height * Width * Channels;
    public long Pixels => (long)Height * Width;
    public override string ToString() =>
        Height.ToString(CultureInfo.InvariantCulture) + "×" + Width.ToString(CultureInfo.InvariantCulture) + "×" + Channels.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// One validated layer. <see cref="Input"/> null = the caller's pixels (normalize only); <see cref="Output"/>
/// null = the caller's probabilities (softmax only). Weight spans are null where the op has none.
/// </summary>
internal sealed record LayerSpec(
    OpKind Op,
    string Name,
    Slice? Input,
    Slice? Output,
    Shape InShape,
    Shape OutShape,
    int Kernel,
    int Stride,
    Activation Activation,
    Slice? Residual,
    Slice? Scratch,
    int Reduced,
    Slice? Weights,
    Slice? Bias,
    Slice? Weights2,
    Slice? Bias2);

/// <summary>
/// Everything the emitter needs from one <c>&lt;Model&gt;.subnet.json</c>, validated and equatable: the
/// incremental pipeline re-emits only when this changes. <see cref="Namespace"/> is the artifact's own
/// (null: take the project's RootNamespace later).
/// </summary>
internal sealed record ModelSpec(
    string Name,
    string? Namespace,
    string SupernetId,
    string SupernetVersion,
    string Family,
    bool Trained,
    string Target,
    string Architecture,
    Shape Input,
    EquatableArray<float> Mean,
    EquatableArray<float> Std,
    EquatableArray<string> Labels,
    EquatableArray<string> LabelIdentifiers,
    double? PredictedAccuracy,
    long Macs,
    long Parameters,
    long WeightBytes,
    long PeakMemoryBytes,
    double? LatencyMs,
    AccuracyIntervalSpec? AccuracyInterval,
    int ArenaFloats,
    string WeightsResource,
    int WeightFloats,
    EquatableArray<LayerSpec> Layers);

/// <summary>The interval around a held-out <see cref="ModelSpec.PredictedAccuracy"/>: bounds, confidence level, images measured.</summary>
internal sealed record AccuracyIntervalSpec(double Lower, double Upper, double Confidence, int Images);
