using System;
using System.Collections.Generic;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// Exact accuracies, one per architecture string (<see cref="SubnetConfig.ToString"/>), for spaces small
/// enough to evaluate every subnet (CompOFA: 243). Asking about a config the table lacks is an error,
/// never a guess.
/// </summary>
public sealed class TablePredictor : IAccuracyPredictor
{
    private readonly Dictionary<string, double> _entries;

    public TablePredictor(IReadOnlyDictionary<string, double> entries)
    {
        _entries = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in entries) _entries[pair.Key] = pair.Value;
    }

    public int Count => _entries.Count;

    public bool Contains(SubnetConfig config) => _entries.ContainsKey(config.ToString());

    public double Predict(SubnetConfig config)
    {
        string architecture = config.ToString();
        if (_entries.TryGetValue(architecture, out double accuracy)) return accuracy;
        throw new SubnetGenException(new Diagnostic(
            DiagnosticCodes.ArchitectureNotInPredictorTable,
            $"The supernet's accuracy table has no entry for {architecture} ({_entries.Count} entries).",
            Fix: "The table must list every subnet of the design space; regenerate predictor.json with subnetgen-train, or ship an MLP predictor."));
    }
}
