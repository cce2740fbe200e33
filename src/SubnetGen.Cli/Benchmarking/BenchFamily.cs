using System.Diagnostics;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>
/// One supernet under benchmark, searched exactly as a build searches it: its bundle's predictor,
/// its search options (<see cref="PredictorFile.SearchOptions"/>), and the latency model of a device table when the benchmark has one (as a build
/// whose target names a <c>latencyTable</c>), else none.
/// </summary>
internal sealed class BenchFamily
{
    /// <param name="options">Search options instead of the build's (<see cref="PredictorFile.SearchOptions"/>), to measure a change.</param>
    public BenchFamily(SupernetBundle bundle, LatencyModel? latency = null, SearchOptions? options = null)
    {
        Bundle = bundle;
        Predictor = bundle.Predictor.CreatePredictor(bundle.Spec);
        Latency = latency;
        Options = options ?? bundle.Predictor.SearchOptions;
    }

    /// <summary>The options every search of this supernet runs with.</summary>
    public SearchOptions Options { get; }

    public LatencyModel? Latency { get; }

    /// <summary><paramref name="graph"/>'s latency under the device table, or null without one.</summary>
    public LatencyEstimate? EstimateLatency(SubnetGraph graph) => Latency?.Estimate(graph);

    public SupernetBundle Bundle { get; }
    public IAccuracyPredictor Predictor { get; }
    public Family Family => Bundle.Spec.Space.Family;
    public string Name => FormatNames.DisplayName(Family);

    /// <summary>The build's pick under <paramref name="budget"/>, or null when no subnet fits (SNG3001; any other error is a bug and propagates).</summary>
    public SearchResult? Search(BenchBudget budget) => Timed(budget).Result;

    /// <summary>
    /// One <see cref="SubnetSearch"/> run and its wall time; everything it does not do (loading the bundle, building the predictor and the filter) is outside the clock.
    /// </summary>
    public (SearchResult? Result, double Milliseconds) Timed(BenchBudget budget)
    {
        var filter = budget.Filter;
        var clock = Stopwatch.StartNew();
        try
        {
            var result = SubnetSearch.Run(Bundle.Spec, Predictor, budget.Budget, Latency, Options, filter);
            return (result, clock.Elapsed.TotalMilliseconds);
        }
        catch (SubnetGenException e) when (e.Diagnostic.Code == DiagnosticCodes.NoSubnetFitsBudget)
        {
            return (null, clock.Elapsed.TotalMilliseconds);
        }
    }
}
