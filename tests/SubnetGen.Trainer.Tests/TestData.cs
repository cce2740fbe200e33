using System;
using System.Collections.Generic;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;
using SubnetGen.Trainer.Data;

namespace SubnetGen.Trainer.Tests;

/// <summary>Real Fashion-MNIST images (Debian's dataset-fashion-mnist) and a tiny supernet structure for fast runs.</summary>
internal static class TestData
{
    private static readonly Lazy<DatasetSplits> Splits = new(() =>
    {
        Assert.True(FashionMnist.IsPresent(FashionMnist.DefaultFolder),
            "Fashion-MNIST is missing under /usr/share/datasets/fashion-mnist: run `bash build/install-test-deps.sh` (installs dataset-fashion-mnist).");
        return DatasetSplits.Create("fashion-mnist", FashionMnist.LoadTrain(FashionMnist.DefaultFolder), FashionMnist.LoadTest(FashionMnist.DefaultFolder), 5000, 42);
    });

    public static DatasetSplits FashionMnistSplits => Splits.Value;

    /// <summary>The seed-42 split with <paramref name="validation"/> images held out of train, as `run --validation` makes it.</summary>
    public static DatasetSplits FashionMnistSplitsOf(int validation) => validation == FashionMnistSplits.Validation.Count
        ? FashionMnistSplits
        : DatasetSplits.Create("fashion-mnist", FashionMnist.LoadTrain(FashionMnist.DefaultFolder), FashionMnist.LoadTest(FashionMnist.DefaultFolder), validation, 42);

    /// <summary>Small splits: <paramref name="train"/> training, 200 validation, 200 test images.</summary>
    public static DatasetSplits Small(int train) =>
        FashionMnistSplits with { Train = FashionMnistSplits.Train.Take(train), Validation = FashionMnistSplits.Validation.Take(200), Test = FashionMnistSplits.Test.Take(200) };

    /// <summary>Two stages (widths 8, 16, the second with SE), head 48/64: CompOFA has 9 configs, OFA is fully elastic.</summary>
    public static SupernetSpec Tiny(Family family)
    {
        var space = family switch
        {
            Family.Ofa => DesignSpace.Ofa(),
            Family.CompOfa => DesignSpace.CompOfa(new[] { 3, 5 }),
            _ => DesignSpace.MoOfa(new[] { 3, 5 }),
        };
        var stages = new List<StageSpec>
        {
            new(8, 2, Activation.Relu, false, 4),
            new(16, 2, Activation.HSwish, true, 4),
        };
        return new SupernetSpec(new InputSpec(28, 28, 1, DefaultSupernets.FashionMnistMean, DefaultSupernets.FashionMnistStd),
            new StemSpec(8, 3, 1, Activation.HSwish), new FirstBlockSpec(8, 3, Activation.Relu), stages, new HeadSpec(48, 64), 10, space);
    }
}
