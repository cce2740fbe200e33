using System;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;

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
    };

    /// <summary>The op's spelling in subnet.json and latency-table keys (<see cref="Spellings"/>).</summary>
    public static string Of(OpKind op) => Spellings.Of(op);

    /// <summary>The activation's spelling in supernet.json, subnet.json and latency-table keys (<see cref="Spellings"/>).</summary>
    public static string Of(Activation activation) => Spellings.Of(activation);

    /// <summary>The family as package ids and reports write it: OFA, CompOFA, MOOFA.</summary>
    public static string DisplayName(Family family) => family switch
    {
        Family.Ofa => "OFA",
        Family.CompOfa => "CompOFA",
        Family.MoOfa => "MOOFA",
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

    public static bool TryParseActivation(string? text, out Activation activation) => Spellings.TryParse(text, out activation);
}
