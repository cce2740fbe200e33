using System;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

public class SupernetModelTests
{
    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.CompOfa)]
    [InlineData(Family.MoOfa)]
    public void StateDict_IsExactlyTheBundleTensors(Family family)
    {
        TorchRequirement.Ensure();
        var spec = DefaultSupernets.FashionMnist(family);
        using var model = new ElasticSupernet(spec, CPU, 1);
        var state = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape.Select(d => (int)d).ToArray());
        var expected = SupernetTensors.Expected(spec);
        Assert.Equal(expected.Select(e => e.Name).OrderBy(n => n, StringComparer.Ordinal), state.Keys.OrderBy(n => n, StringComparer.Ordinal));
        foreach (var e in expected) Assert.True(e.Shape.SequenceEqual(state[e.Name]), $"{e.Name}: [{string.Join(",", state[e.Name])}] vs [{string.Join(",", e.Shape)}]");
        // And Core's bundle check accepts the export as it is.
        SupernetBundle.CheckTensors(spec, SupernetState.Export(model), "weights.safetensors");
    }

    /// <summary>
    /// A seed alone decides a new supernet's weights, and building one neither reads nor moves torch's global
    /// random generator: the initialisation draws from its own. (Seeding the global one made the weights depend on
    /// whatever else drew from it meanwhile — another test, another model in a host application.)
    /// </summary>
    [Fact]
    public void A_supernets_initialisation_depends_on_its_seed_alone_and_leaves_torchs_global_generator_alone()
    {
        TorchRequirement.Ensure();
        var spec = TestData.Tiny(Family.Ofa);
        manual_seed(9);
        var undisturbed = rand(16).data<float>().ToArray();

        manual_seed(9);
        using var first = new ElasticSupernet(spec, CPU, seed: 5);
        Assert.Equal(undisturbed, rand(16).data<float>().ToArray());
        manual_seed(123);
        using var second = new ElasticSupernet(spec, CPU, seed: 5);
        using var otherSeed = new ElasticSupernet(spec, CPU, seed: 6);

        var expected = SupernetState.Export(first);
        foreach (var (name, tensor) in SupernetState.Export(second))
            Assert.True(tensor.Data.SequenceEqual(expected[name].Data), $"{name} differs for the same seed");
        Assert.False(SupernetState.Export(otherSeed)["stem.conv.weight"].Data.SequenceEqual(expected["stem.conv.weight"].Data));
    }

    /// <summary>
    /// Channels-last either computes the contiguous training step or a run refuses it. Where the layouts agree
    /// (<see cref="LayoutCheck"/>), eval and train logits match to 1e-4 of their maximum (float rounding; train mode's
    /// channels-last batch norm reduces less precisely: measured against float64, logits 3e-5 vs 1e-6 contiguous) and
    /// a depthwise gradient to 1e-2. Where they do not — TorchSharp-cpu 0.107.0 on the workplace's AMD EPYC computes
    /// 1×1 convolutions with 40 or 80 output channels wrongly on channels-last input, so OFA's logits are off by 65 %
    /// — a channels-last run stops before its first step and writes nothing. Either branch asserts something that
    /// fails if the trainer would train a function its evaluation does not compute.
    /// </summary>
    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.MoOfa)]
    public void ChannelsLast_ComputesTheContiguousStep_OrIsRefused(Family family)
    {
        TorchRequirement.Ensure();
        var spec = DefaultSupernets.FashionMnist(family);
        var (images, labels) = BatchMaker.Make(TestData.FashionMnistSplits.Test, BatchMaker.Range(0, 64), CPU);
        var check = LayoutCheck.Compare(spec, CPU, images, labels, LayoutCheck.Configs(spec));
        if (!check.Agrees)
        {
            var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "subnetgen-layout-" + Guid.NewGuid().ToString("N"));
            var options = new TrainOptions
            {
                Family = family, Output = output, MemoryFormat = MemoryFormat.ChannelsLast, BatchSize = 64,
                PhaseEpochs = new System.Collections.Generic.Dictionary<string, int> { ["teacher"] = 1 }, Threads = 2,
            };
            var data = TestData.Small(train: 64);
            var error = Assert.Throws<InvalidOperationException>(() => new TrainingRun(options, data, spec, CPU).Execute(new RecordingProgress()));
            Assert.Contains("--memory-format contiguous", error.Message);
            Assert.Contains("logits off by", error.Message);
            Assert.False(System.IO.Directory.Exists(output) && System.IO.Directory.EnumerateFileSystemEntries(output).Any(), $"{output} was written to");
            return;
        }

        using var model = new ElasticSupernet(spec, CPU, 9);
        Randomize.BatchNormsAndTransforms(model, 10);
        var config = Schedule.Middle(spec); // kernel 5 (transformed), partial widths and depths
        model.SetActive(config);

        (Tensor Logits, Tensor Grad) Run(MemoryFormat format, bool train)
        {
            model.MemoryFormat = format;
            model.train(train);
            model.zero_grad();
            var logits = model.forward(images);
            nn.functional.cross_entropy(logits, labels).backward();
            return (logits.detach().clone(), model.Blocks[1][0].Depthwise.Conv.Weight.grad!.clone());
        }

        var (evalContiguous, _) = Run(MemoryFormat.Contiguous, train: false);
        var (evalLast, _) = Run(MemoryFormat.ChannelsLast, train: false);
        AssertClose(evalContiguous, evalLast, 1e-4, $"{config} eval logits");

        var (trainContiguous, gradContiguous) = Run(MemoryFormat.Contiguous, train: true);
        var (trainLast, gradLast) = Run(MemoryFormat.ChannelsLast, train: true);
        AssertClose(trainContiguous, trainLast, 1e-4, $"{config} train logits");
        AssertClose(gradContiguous, gradLast, 1e-2, $"{config} depthwise gradient");
    }

    /// <summary>max |a − b| ≤ <paramref name="relative"/> × max |a|, and a is not all zero.</summary>
    private static void AssertClose(Tensor a, Tensor b, double relative, string what)
    {
        float scale = a.abs().max().item<float>(), diff = (a - b).abs().max().item<float>();
        Assert.True(scale > 0, $"{what}: all zero");
        Assert.True(diff <= relative * scale, $"{what}: max |Δ| = {diff} of max |value| {scale}");
    }

    [Fact]
    public void ElasticKernel_WithIdentityTransforms_IsTheCentreCrop()
    {
        TorchRequirement.Ensure();
        using var model = new ElasticSupernet(DefaultSupernets.FashionMnist(Family.Ofa), CPU, 3);
        var dw = model.Blocks[1][0].Depthwise;
        using var _ = no_grad();
        var full = dw.Conv.Weight.narrow(0, 0, 24);
        Assert.True(dw.ActiveFilter(24, 5).allclose(full.narrow(2, 1, 5).narrow(3, 1, 5)));
        Assert.True(dw.ActiveFilter(24, 3).allclose(full.narrow(2, 2, 3).narrow(3, 2, 3)));
        Assert.True(dw.ActiveFilter(24, 7).allclose(full, 0, 0));
    }

    [Fact]
    public void SortChannels_KeepsTheFullNetworkFunction_AndReordersChannels()
    {
        TorchRequirement.Ensure();
        var spec = DefaultSupernets.FashionMnist(Family.Ofa);
        using var model = new ElasticSupernet(spec, CPU, 5);
        Randomize.BatchNormsAndTransforms(model, 6);
        model.eval();
        var (images, _) = BatchMaker.Make(TestData.FashionMnistSplits.Test, BatchMaker.Range(0, 16), CPU);
        using var before = model.forward(images).detach().clone();
        var block = model.Blocks[1][0];
        using var projectBefore = block.Project.Conv.Weight.detach().clone();
        using var smallBefore = Subnet(model, images, spec);

        foreach (var b in model.Blocks.SelectMany(x => x)) b.SortChannels();

        using var after = model.forward(images).detach();
        Assert.True(after.allclose(before, rtol: 1e-4, atol: 1e-5), $"max |Δ| = {(after - before).abs().max().item<float>()}");
        Assert.False(block.Project.Conv.Weight.allclose(projectBefore, 0, 0), "sorting should permute the middle channels");
        var importance = block.Project.Conv.Weight.abs().sum(new long[] { 0, 2, 3 });
        Assert.True((importance.narrow(0, 0, importance.shape[0] - 1) >= importance.narrow(0, 1, importance.shape[0] - 1)).all().item<bool>(), "importance must be descending");
        using var smallAfter = Subnet(model, images, spec);
        Assert.False(smallAfter.allclose(smallBefore), "a smaller expand ratio now keeps other channels");
    }

    private static Tensor Subnet(ElasticSupernet model, Tensor images, SupernetSpec spec)
    {
        model.SetActive(spec.Space.Smallest(spec.Stages.Count));
        using var _ = no_grad();
        var result = model.forward(images).detach().clone();
        model.SetActive(model.Full);
        return result;
    }
}

/// <summary>Makes a freshly initialised supernet non-trivial: BN statistics/affine and kernel transforms away from their defaults.</summary>
internal static class Randomize
{
    public static void BatchNormsAndTransforms(ElasticSupernet model, long seed)
    {
        manual_seed(seed);
        using var _ = no_grad();
        foreach (var bn in model.BatchNorms())
        {
            var n = bn.Weight.shape[0];
            bn.Weight.copy_(rand(n) + 0.5);
            bn.Bias.copy_(randn(n) * 0.1);
            bn.RunningMean.copy_(randn(n) * 0.1);
            bn.RunningVar.copy_(rand(n) + 0.5);
        }
        foreach (var (name, p) in model.named_parameters())
            if (name.Contains(".transform_", StringComparison.Ordinal)) p.add_(randn(p.shape) * 0.1);
    }
}
