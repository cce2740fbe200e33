using System.Globalization;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Search;

/// <summary>How the search picks configs. <see cref="Auto"/>: exhaustive when the space is small enough, else evolutionary.</summary>
public enum SearchMethod
{
    Auto = 0,
    Exhaustive = 1,
    Evolutionary = 2,
}

/// <summary>
/// Search settings. The evolutionary defaults are OFA's (population 100, 500 generations, parent ratio 0.25,
/// mutation ratio 0.5, mutation probability 0.1); <see cref="Patience"/> stops early when the best subnet has not
/// improved for that many generations. Everything is seeded: same options, same result.
/// <see cref="PredictorResolution"/> (an accuracy fraction, 0 = off): predictions closer than that to the best feasible
/// one are ones the predictor cannot tell apart, and among them the search returns the one with the most MACs.
/// </summary>
public sealed record SearchOptions(
    int Seed = 42,
    SearchMethod Method = SearchMethod.Auto,
    long ExhaustiveLimit = 100_000,
    int Population = 100,
    int Generations = 500,
    int Patience = 50,
    double ParentRatio = 0.25,
    double MutationRatio = 0.5,
    double MutationProbability = 0.1,
    int SampleAttemptsPerIndividual = 20,
    double PredictorResolution = 0)
{
    public static readonly SearchOptions Default = new();

    internal void Validate()
    {
        Check(ExhaustiveLimit >= 0, nameof(ExhaustiveLimit), ExhaustiveLimit, "0 or more");
        Check(Population >= 2, nameof(Population), Population, "at least 2");
        Check(Generations >= 0, nameof(Generations), Generations, "0 or more");
        Check(Patience >= 1, nameof(Patience), Patience, "at least 1");
        Check(ParentRatio > 0 && ParentRatio <= 1, nameof(ParentRatio), ParentRatio, "in (0, 1]");
        Check(MutationRatio >= 0 && MutationRatio <= 1, nameof(MutationRatio), MutationRatio, "in [0, 1]");
        Check(ParentRatio + MutationRatio <= 1, "ParentRatio + MutationRatio", ParentRatio + MutationRatio, "at most 1");
        Check(MutationProbability >= 0 && MutationProbability <= 1, nameof(MutationProbability), MutationProbability, "in [0, 1]");
        Check(SampleAttemptsPerIndividual >= 1, nameof(SampleAttemptsPerIndividual), SampleAttemptsPerIndividual, "at least 1");
        Check(PredictorResolution >= 0 && PredictorResolution < 1, nameof(PredictorResolution), PredictorResolution, "in [0, 1)");
    }

    private static void Check(bool ok, string name, double value, string range)
    {
        if (ok) return;
        throw new SubnetGenException(new Diagnostic(DiagnosticCodes.InvalidSearchOptions,
            string.Format(CultureInfo.InvariantCulture, "Search option {0} is {1}; it must be {2}.", name, value, range),
            Fix: "Use the defaults of SearchOptions (OFA's evolution settings) or a value in range."));
    }
}
