using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>
/// OFA's evolutionary search over feasible subnets only. The initial population is rejection-sampled from
/// random configs (topped up with mutations of the smallest subnet when budgets are tight). Each generation
/// keeps the best ParentRatio of the population, adds MutationRatio·population mutants of random parents and
/// fills the rest with crossovers of two random parents; children that break a budget are redrawn.
/// Stops after Generations or when the best has not improved for Patience generations.
/// </summary>
internal static class EvolutionarySearch
{
    public static Candidate Run(SupernetSpec spec, CandidateEvaluator evaluator, SearchOptions options)
    {
        var space = spec.Space;
        int stages = spec.Stages.Count;
        var random = new Random(options.Seed);
        int attempts = options.SampleAttemptsPerIndividual;

        var population = new List<(Genome Genome, Candidate Candidate)>(options.Population);
        for (int tries = 0; population.Count < options.Population && tries < options.Population * attempts; tries++)
        {
            var genome = Genome.Random(space, stages, random);
            var candidate = evaluator.Evaluate(genome.ToConfig());
            if (candidate.Feasible) population.Add((genome, candidate));
        }
        if (population.Count == 0)
        {
            // Costs grow with depth, kernel and expand, so the smallest subnet is the best hope of fitting.
            var smallest = space.Smallest(stages);
            var candidate = evaluator.Evaluate(smallest);
            if (!candidate.Feasible) throw SearchFailure.NothingFits(spec, evaluator.All.ToList(), evaluator.Filter);
            population.Add((Genome.From(space, smallest), candidate));
        }
        for (int i = 0; population.Count < options.Population; i++)
            population.Add(MutateFeasible(population[i % population.Count], evaluator, options, random));

        population.Sort((a, b) => evaluator.Compare(a.Candidate, b.Candidate));
        var best = population[0].Candidate;
        int parents = Math.Max(1, (int)(options.ParentRatio * options.Population));
        int mutants = (int)(options.MutationRatio * options.Population);
        int sinceImprovement = 0;

        for (int generation = 0; generation < options.Generations && sinceImprovement < options.Patience; generation++)
        {
            var next = population.GetRange(0, parents);
            for (int i = 0; i < mutants; i++)
                next.Add(MutateFeasible(population[random.Next(parents)], evaluator, options, random));
            while (next.Count < options.Population)
                next.Add(CrossoverFeasible(population[random.Next(parents)], population[random.Next(parents)], evaluator, options, random));

            next.Sort((a, b) => evaluator.Compare(a.Candidate, b.Candidate));
            population = next;
            if (evaluator.Compare(population[0].Candidate, best) < 0)
            {
                best = population[0].Candidate;
                sinceImprovement = 0;
            }
            else sinceImprovement++;
        }
        return best;
    }

    // OFA redraws a child until it fits; bounded here, keeping the parent when every draw breaks a budget.
    private static (Genome, Candidate) MutateFeasible((Genome Genome, Candidate Candidate) parent, CandidateEvaluator evaluator, SearchOptions options, Random random)
    {
        for (int i = 0; i < options.SampleAttemptsPerIndividual; i++)
        {
            var genome = parent.Genome.Mutate(options.MutationProbability, random);
            var candidate = evaluator.Evaluate(genome.ToConfig());
            if (candidate.Feasible) return (genome, candidate);
        }
        return parent;
    }

    private static (Genome, Candidate) CrossoverFeasible((Genome Genome, Candidate Candidate) a, (Genome Genome, Candidate Candidate) b,
        CandidateEvaluator evaluator, SearchOptions options, Random random)
    {
        for (int i = 0; i < options.SampleAttemptsPerIndividual; i++)
        {
            var genome = Genome.Crossover(a.Genome, b.Genome, random);
            var candidate = evaluator.Evaluate(genome.ToConfig());
            if (candidate.Feasible) return (genome, candidate);
        }
        return a;
    }
}
