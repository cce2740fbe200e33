using System;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Bundle;

/// <summary>
/// The spellings of enums in docs/formats.md (families <c>ofa compofa moofa</c>, activations <c>none relu hswish
/// hsigmoid</c>, ops <c>conv depthwise pointwise …</c>, also the parts of latency-table keys) and in package ids.
/// </summary>
public static class FormatNames
{
    public static string Of(Family family) => family switch
    {
        Family.Ofa => "ofa",
        Family.CompOfa => "compofa",
        Family.MoOfa => "moofa",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    public static string Of(Activation activation) => activation switch
    {
        Activation.None => "none",
        Activation.Relu => "relu",
        Activation.HSwish => "hswish",
        Activation.HSigmoid => "hsigmoid",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

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
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>The family as package ids and reports write it: OFA, CompOFA, MOOFA.</summary>
    public static string DisplayName(Family family) => family switch
    {
        Family.Ofa => "OFA",
        Family.CompOfa => "CompOFA",
        Family.MoOfa => "MOOFA",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    /// <summary>SubnetGen.Supernet.&lt;Dataset&gt;.&lt;Family&gt;: a supernet bundle's id and its package's.</summary>
    public static string SupernetPackageId(string dataset, Family family) => $"SubnetGen.Supernet.{dataset}.{DisplayName(family)}";

    public static bool TryParseFamily(string? text, out Family family)
    {
        switch (text)
        {
            case "ofa": family = Family.Ofa; return true;
            case "compofa": family = Family.CompOfa; return true;
            case "moofa": family = Family.MoOfa; return true;
            default: family = default; return false;
        }
    }

    public static bool TryParseActivation(string? text, out Activation activation)
    {
        switch (text)
        {
            case "none": activation = Activation.None; return true;
            case "relu": activation = Activation.Relu; return true;
            case "hswish": activation = Activation.HSwish; return true;
            case "hsigmoid": activation = Activation.HSigmoid; return true;
            default: activation = default; return false;
        }
    }
}
