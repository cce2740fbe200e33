using System;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Space;

namespace SubnetGen.Trainer.Training;

/// <summary>
/// Relative cost of one SGD step of a phase, in millions of MACs, for the run's ETA. Steps are not alike: a
/// kernel-phase step trains full-width subnets, an expand-phase step four mostly narrow ones, so counting forwards
/// overstated what was left by about 1.6× (OFA 1.1.0: kernel epochs 800 s, expand 1,400 s). The cost is the
/// teacher's forward plus each trained subnet's forward and backward (≈ 3× a forward).
/// </summary>
internal static class StepCost
{
    private const int Samples = 64;

    public static double Of(Phase phase, SupernetSpec spec)
    {
        // A fixed sample of the phase's draws: the estimate must not depend on (or consume) the run's random numbers.
        var random = new Random(0);
        double sampled = Enumerable.Range(0, Samples).Average(_ => MegaMacs(spec, phase.Sampler.Sample(spec, random)));
        double rule = phase.RuleSubnets(spec).Sum(c => MegaMacs(spec, c));
        double teacher = phase.Distill ? MegaMacs(spec, spec.Space.Largest(spec.Stages.Count)) : 0;
        return teacher + 3 * (rule + phase.SubnetsPerStep * sampled);
    }

    private static double MegaMacs(SupernetSpec spec, SubnetConfig config)
    {
        var graph = GraphBuilder.Build(spec, config);
        return graph.Layers.Sum(layer => CostModel.LayerMacs(graph, layer)) / 1e6;
    }
}
