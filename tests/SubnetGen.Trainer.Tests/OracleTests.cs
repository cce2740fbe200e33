using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.TestSupport;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// The quality bar: Core's extraction of a subnet, run by the plain-loop HWC reference forward,
/// computes the same function as the TorchSharp supernet with that subnet active (eval mode),
/// to 1e-4 on real Fashion-MNIST test images.
/// </summary>
public class OracleTests
{
    private const int Images = 4;

    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.CompOfa)]
    [InlineData(Family.MoOfa)]
    public void ExtractedSubnet_MatchesTorchSharp(Family family)
    {
        TorchRequirement.Ensure();
        var spec = DefaultSupernets.FashionMnist(family);
        using var model = new ElasticSupernet(spec, CPU, 11);
        Randomize.BatchNormsAndTransforms(model, 12);
        model.eval();
        var tensors = SupernetState.Export(model);
        var test = TestData.FashionMnistSplits.Test;
        foreach (var config in Configs(spec))
        {
            model.SetActive(config);
            var extracted = SubnetExtractor.Extract(spec, tensors, config);
            ReferenceComparison.AssertMatches(model, extracted, Images, test, config.ToString());
        }
    }

    [Fact]
    public void RecalibratedStatistics_ThroughTheExtractorHook_MatchTorchSharpAfterRecalibration()
    {
        TorchRequirement.Ensure();
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        using var model = new ElasticSupernet(spec, CPU, 21);
        Randomize.BatchNormsAndTransforms(model, 22);
        var tensors = SupernetState.Export(model);
        var evaluator = new SubnetEvaluator(model, TestData.FashionMnistSplits.Validation.Take(300), 100);
        var config = Schedule.Middle(spec);
        var statistics = evaluator.RecalibratedStatistics(config);
        Assert.True(SupernetState.Export(model)["stem.bn.running_mean"].Data.SequenceEqual(tensors["stem.bn.running_mean"].Data), "the supernet's own statistics are restored");

        var extracted = SubnetExtractor.Extract(spec, tensors, config, new ExtractOptions { BatchNormStatistics = statistics });
        evaluator.Recalibrate(config);
        model.eval();
        ReferenceComparison.AssertMatches(model, extracted, Images, TestData.FashionMnistSplits.Test, "recalibrated " + config);
    }

    /// <summary>Smallest, middle, largest and three seeded random configs of the family's space.</summary>
    private static IEnumerable<SubnetConfig> Configs(SupernetSpec spec)
    {
        int stages = spec.Stages.Count;
        yield return spec.Space.Smallest(stages);
        yield return Schedule.Middle(spec);
        yield return spec.Space.Largest(stages);
        var random = new Random(3);
        var sampler = new SubnetSampler(spec.Space.Depths, null, spec.Space.IsCoupled ? null : spec.Space.ExpandRatios, spec.Space.IsCoupled);
        for (int i = 0; i < 3; i++) yield return sampler.Sample(spec, random);
    }
}
