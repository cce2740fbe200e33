using System;

namespace SubnetGen.Core.Ops;

/// <summary>
/// The spans one kernel call reads and writes: <see cref="OpRules.Run"/>'s arguments. Spans an op does not use stay
/// empty. An in-place op (<see cref="OpRules.InPlace"/>) reads and writes <see cref="Output"/>.
/// </summary>
public readonly ref struct LayerBuffers
{
    public ReadOnlySpan<float> Input { get; init; }
    public Span<float> Output { get; init; }
    public ReadOnlySpan<float> Residual { get; init; }
    public Span<float> Scratch { get; init; }

    /// <summary>The weight slots in <see cref="OpRules.WeightSlots"/> order.</summary>
    public ReadOnlySpan<float> Weights { get; init; }
    public ReadOnlySpan<float> Bias { get; init; }
    public ReadOnlySpan<float> Weights2 { get; init; }
    public ReadOnlySpan<float> Bias2 { get; init; }

    /// <summary>Normalisation per input channel (normalize only).</summary>
    public ReadOnlySpan<float> Mean { get; init; }
    public ReadOnlySpan<float> Std { get; init; }
}
