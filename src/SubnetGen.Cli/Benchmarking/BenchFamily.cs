using System.Diagnostics;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>One supernet under benchmark, searched exactly as a build searches it: its bundle's predictor, <see cref="SearchOptions.Default"/>, no latency model.</summary>
internal sealed class BenchFamily
{
    public BenchFamily(SupernetBundle bundle)
    {
        Bundle = bundle;
        Predictor = bundle.Predictor.CreatePredictor(bundle.Spec);
    }

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
            var result = SubnetSearch.Run(Bundle.Spec, Predictor, budget.Budget, null, SearchOptions.Default, filter);
            return (result, clock.Elapsed.TotalMilliseconds);
        }
        catch (SubnetGenException e) when (e.Diagnostic.Code == DiagnosticCodes.NoSubnetFitsBudget)
        {
            return (null, clock.Elapsed.TotalMilliseconds);
        }
    }
}
