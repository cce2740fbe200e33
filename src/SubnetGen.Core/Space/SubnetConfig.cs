using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SubnetGen.Core.Space;

/// <summary>One active MBConv block: its depthwise kernel size and expand ratio.</summary>
public readonly record struct BlockConfig(int KernelSize, int ExpandRatio)
{
    public override string ToString() => "k" + KernelSize.ToString(CultureInfo.InvariantCulture) + "e" + ExpandRatio.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A subnet of a supernet: for every stage, the list of active blocks (its length is the stage depth), and, in a
/// space with elastic input resolution, the resolution it runs at (the input's shorter side in pixels).
/// Canonical compact form: stages separated by '|', blocks by ',', each block "k{kernel}e{expand}", then "@{resolution}"
/// where there is one, e.g. <c>k3e3,k3e3|k5e4,k5e4,k5e4|…@48</c>. <see cref="Parse"/> and <see cref="ToString"/> round-trip.
/// </summary>
public sealed class SubnetConfig : IEquatable<SubnetConfig>, IComparable<SubnetConfig>
{
    private readonly string _text;

    public SubnetConfig(IReadOnlyList<IReadOnlyList<BlockConfig>> stages, int? resolution = null)
    {
        if (stages.Count == 0) throw new ArgumentException("A subnet config needs at least one stage.", nameof(stages));
        if (resolution is <= 0) throw new ArgumentException("A resolution is a positive number of pixels.", nameof(resolution));
        Stages = stages.Select(s => (IReadOnlyList<BlockConfig>)s.ToArray()).ToArray();
        if (Stages.Any(s => s.Count == 0)) throw new ArgumentException("Every stage needs at least one block.", nameof(stages));
        Resolution = resolution;
        _text = string.Join("|", Stages.Select(s => string.Join(",", s.Select(b => b.ToString()))))
            + (resolution is int r ? "@" + r.ToString(CultureInfo.InvariantCulture) : "");
    }

    /// <summary>Active blocks per stage; <c>Stages[s].Count</c> is the depth of stage s.</summary>
    public IReadOnlyList<IReadOnlyList<BlockConfig>> Stages { get; }

    public IEnumerable<int> Depths => Stages.Select(s => s.Count);

    /// <summary>The input's shorter side this subnet runs at; null: the supernet's own input size (no elastic resolution).</summary>
    public int? Resolution { get; }

    /// <summary>The same blocks at another resolution.</summary>
    public SubnetConfig WithResolution(int? resolution) => resolution == Resolution ? this : new SubnetConfig(Stages, resolution);

    /// <summary>The architecture alone: the same blocks without a resolution.</summary>
    public SubnetConfig Architecture => WithResolution(null);

    public override string ToString() => _text;

    /// <summary>Parses the compact form; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static SubnetConfig Parse(string text)
    {
        if (TryParse(text, out var config, out var error)) return config!;
        throw new FormatException(error);
    }

    public static bool TryParse(string? text, out SubnetConfig? config, out string? error)
    {
        config = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "Architecture string is empty; expected e.g. \"k3e3,k3e3|k5e4,k5e4,k5e4\".";
            return false;
        }
        int? resolution = null;
        int at = text!.LastIndexOf('@');
        if (at >= 0)
        {
            if (!int.TryParse(text.Substring(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int r) || r <= 0)
            {
                error = $"\"{text.Substring(at)}\" in \"{text}\" is not a resolution; expected @<pixels>, e.g. @48.";
                return false;
            }
            resolution = r;
            text = text.Substring(0, at);
        }
        var stages = new List<IReadOnlyList<BlockConfig>>();
        foreach (var stageText in text.Split('|'))
        {
            var blocks = new List<BlockConfig>();
            foreach (var blockText in stageText.Split(','))
            {
                var t = blockText.Trim();
                int e = t.IndexOf('e');
                if (t.Length < 4 || t[0] != 'k' || e < 2
                    || !int.TryParse(t.Substring(1, e - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int k)
                    || !int.TryParse(t.Substring(e + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int x))
                {
                    error = $"Block \"{t}\" in \"{text}\" is not of the form k<kernel>e<expand>, e.g. k5e4.";
                    return false;
                }
                blocks.Add(new BlockConfig(k, x));
            }
            stages.Add(blocks);
        }
        config = new SubnetConfig(stages, resolution);
        return true;
    }

    public bool Equals(SubnetConfig? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);
    public override bool Equals(object? obj) => Equals(obj as SubnetConfig);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);
    public int CompareTo(SubnetConfig? other) => string.CompareOrdinal(_text, other?._text);
}
