using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Cost;

/// <summary>A subnet's estimated latency; <see cref="IsEstimate"/> is false only when every layer was in the device table.</summary>
public sealed record LatencyEstimate(double Milliseconds, bool IsEstimate, int MeasuredLayers, int EstimatedLayers);

/// <summary>
/// Latency of a subnet on one device = the sum of its layers' latencies, times the table's whole-model scale when
/// it has one (<see cref="WholeModelCalibration"/>). A layer whose key is in the
/// device table uses the measured value. Others are estimated from the table: per op kind, a least-squares
/// fit of microseconds against work (MACs; input elements for ops without MACs), with a per-call overhead
/// when the table has enough distinct shapes of that kind. Op kinds the table lacks use the documented
/// default throughput (<see cref="Ops.OpRules.DefaultWorkPerMicrosecond"/>) scaled by how much slower or faster this device is than the default on the table's
/// entries. With no table at all, every layer uses the default throughput (docs/search.md).
/// </summary>
public sealed class LatencyModel
{
    /// <summary>Default fixed cost of one kernel call, microseconds.</summary>
    public const double DefaultOverheadMicroseconds = 0.5;

    private readonly Dictionary<OpKind, LinearFit> _fits = new();
    private readonly double _deviceFactor = 1.0;

    public LatencyModel(DeviceLatencyTable? table)
    {
        Table = table;
        if (table is null || table.EntriesMicroseconds.Count == 0) return;

        var samples = table.Keys.Select(p => (Key: p.Value, Us: table.EntriesMicroseconds[p.Key])).ToList();
        foreach (var group in samples.GroupBy(s => s.Key.Op))
            _fits[group.Key] = LinearFit.Fit(group.Select(s => ((double)s.Key.Work, s.Us)).ToList());

        // Least-squares ratio measured/default over all entries: how this device compares to the default.
        double num = 0, den = 0;
        foreach (var (key, us) in samples)
        {
            double reference = DefaultMicroseconds(key);
            num += reference * us;
            den += reference * reference;
        }
        if (den > 0 && num > 0) _deviceFactor = num / den;
    }

    /// <summary>No device table: every layer from the default throughput.</summary>
    public static LatencyModel Default { get; } = new(null);

    public DeviceLatencyTable? Table { get; }

    public LatencyEstimate Estimate(SubnetGraph graph)
    {
        double total = 0;
        int measured = 0, estimated = 0;
        foreach (var layer in graph.Layers)
        {
            total += LayerMicroseconds(LayerKey.For(graph, layer), out bool wasMeasured);
            if (wasMeasured) measured++; else estimated++;
        }
        return new LatencyEstimate(total * (Table?.WholeModel?.Scale ?? 1.0) / 1000.0, estimated > 0, measured, estimated);
    }

    /// <summary>One layer's latency in microseconds; <paramref name="measured"/> says whether it came from the table.</summary>
    public double LayerMicroseconds(LayerKey key, out bool measured)
    {
        if (Table is not null && Table.TryGetMicroseconds(key.ToString(), out double us))
        {
            measured = true;
            return us;
        }
        measured = false;
        return _fits.TryGetValue(key.Op, out var fit) ? fit.Predict(key.Work) : DefaultMicroseconds(key) * _deviceFactor;
    }

    private static double DefaultMicroseconds(LayerKey key) =>
        DefaultOverheadMicroseconds + key.Work / key.Rules.DefaultWorkPerMicrosecond;
}
