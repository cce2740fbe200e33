using System;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>Uniformly drawn subnets of a design space (each stage's depth, then each block's kernel and expand ratio), as the evolutionary search seeds its population.</summary>
public static class RandomSubnets
{
    public static SubnetConfig Sample(DesignSpace space, int stageCount, Random random) => Genome.Random(space, stageCount, random).ToConfig();
}
