// The JSON spellings of ops and activations, compiled into SubnetGen.Core and into the source generator (internal
// in both): the writer of subnet.json and its reader cannot disagree.
using System;
#if BUILDING_SOURCE_GENERATOR
namespace SubnetGen.Generators.Model;
#else
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Bundle;
#endif

/// <summary>
/// How ops and activations are written in supernet.json, subnet.json and latency-table keys (docs/formats.md).
/// Every switch lists every member (a new one is a compile error here until it has a spelling).
/// </summary>
internal static class Spellings
{
    public static string Of(OpKind op) => op switch
    {
        OpKind.Normalize => "normalize",
        OpKind.Conv => "conv",
        OpKind.Depthwise => "depthwise",
        OpKind.Pointwise => "pointwise",
        OpKind.SqueezeExcite => "squeezeExcite",
        OpKind.GlobalAveragePool => "globalAveragePool",
        OpKind.Linear => "linear",
        OpKind.Softmax => "softmax",
    };

    public static string Of(Activation activation) => activation switch
    {
        Activation.None => "none",
        Activation.Relu => "relu",
        Activation.HSwish => "hswish",
        Activation.HSigmoid => "hsigmoid",
    };

    public static readonly OpKind[] Ops = (OpKind[])Enum.GetValues(typeof(OpKind));

    public static readonly Activation[] Activations = (Activation[])Enum.GetValues(typeof(Activation));

    public static bool TryParse(string? text, out OpKind op)
    {
        foreach (var candidate in Ops)
            if (string.Equals(Of(candidate), text, StringComparison.Ordinal)) { op = candidate; return true; }
        op = default;
        return false;
    }

    public static bool TryParse(string? text, out Activation activation)
    {
        foreach (var candidate in Activations)
            if (string.Equals(Of(candidate), text, StringComparison.Ordinal)) { activation = candidate; return true; }
        activation = default;
        return false;
    }

    /// <summary>"none, relu, hswish or hsigmoid": the accepted activation spellings, for messages.</summary>
    public static string ActivationList()
    {
        var names = new string[Activations.Length];
        for (int i = 0; i < names.Length; i++) names[i] = Of(Activations[i]);
        return names.Length == 1 ? names[0] : string.Join(", ", names, 0, names.Length - 1) + " or " + names[names.Length - 1];
    }
}
