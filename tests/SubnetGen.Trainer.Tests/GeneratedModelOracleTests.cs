using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.TestSupport;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Model;
using SubnetGen.Trainer.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// The quality bar, end to end: for each subnet, TorchSharp's forward pass of the supernet with the
/// subnet active (BN recalibrated by the trainer's <see cref="SubnetEvaluator"/>, eval mode) and the C#
/// model the SubnetGen generator emits for it — Core extraction with the same recalibrated statistics,
/// BN folded, the real generator run in process and compiled by Roslyn exactly as <c>subnetgen evaluate</c>
/// does (<see cref="GeneratedModelCompiler"/>) — agree to 1e-4 on 100 real Fashion-MNIST test images,
/// in probabilities and in logits, and predict the same class for every image.
/// </summary>
public class GeneratedModelOracleTests
{
    private const int Images = 100;
    private const int CalibrationImages = 300;
    private const float Tolerance = 1e-4f;

    private static readonly string[] Labels = FashionMnist.Labels;

    private readonly ITestOutputHelper _output;

    public GeneratedModelOracleTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// OFA: every op, elastic kernels through the transformation matrices, elastic expand. CompOFA: the
    /// family the project ships. (MOOFA runs the same ops; OracleTests and the generator's end-to-end tests cover it.)
    /// </summary>
    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.CompOfa)]
    public void GeneratedModel_MatchesTorchSharp_OnRealImages_WithRecalibratedBatchNorm(Family family)
    {
        TorchRequirement.Ensure();
        var spec = DefaultSupernets.FashionMnist(family);
        using var model = new ElasticSupernet(spec, CPU, 31);
        Randomize.BatchNormsAndTransforms(model, 32);
        var tensors = SupernetState.Export(model);
        var manifest = new SupernetManifest("SubnetGen.Supernet.OracleTest." + family, "0.0.0", Trained: false, spec, Labels,
            new Provenance(Tool: nameof(GeneratedModelOracleTests)), MeasuredAccuracy.NotMeasured);
        var evaluator = new SubnetEvaluator(model, TestData.FashionMnistSplits.Validation.Take(CalibrationImages), 150);
        var test = TestData.FashionMnistSplits.Test.Take(Images);
        var (batch, _) = BatchMaker.Make(test, BatchMaker.Range(0, Images), CPU);
        var pixels = Enumerable.Range(0, Images).Select(i => test.Image(i).ToArray().Select(b => b / 255f).ToArray()).ToArray();

        foreach (var config in Configs(spec))
        {
            // The trainer's recalibration of this subnet (OFA's set_running_statistics on calibration images)...
            var statistics = evaluator.RecalibratedStatistics(config);
            // ...handed to Core's extraction, which folds them into the generated model's weights...
            var extracted = SubnetExtractor.Extract(spec, tensors, config, new ExtractOptions { BatchNormStatistics = statistics });
            // ...and put into the TorchSharp supernet, which then runs the subnet in eval mode.
            model.LoadBatchNormStatistics(statistics);
            model.SetActive(config);
            model.eval();
            float[] torchLogits;
            using (no_grad()) torchLogits = model.forward(batch).data<float>().ToArray();

            using var generated = GeneratedModelCompiler.Compile(manifest, extracted);
            Compare(config.ToString(), torchLogits, generated, pixels);
        }
    }

    /// <summary>
    /// Each released, trained supernet exactly as the build gets it (the package committed in feed/):
    /// the TorchSharp supernet with each subnet's shipped <c>bnstats.safetensors</c> statistics (OFA: recalibrated
    /// by the trainer's evaluator) and the C# model generated from Core's extraction of the same bundle agree on
    /// 100 test images, and both are trained (most of those images right).
    /// </summary>
    [Theory]
    [InlineData(ReleasedBundle.CompOfa)]
    [InlineData(ReleasedBundle.MoOfa)]
    [InlineData(ReleasedBundle.Ofa)]
    public void ReleasedSupernet_GeneratedModel_MatchesTorchSharp(string package)
    {
        TorchRequirement.Ensure();
        string folder = ReleasedBundle.Extract(package);
        try
        {
            var bundle = SupernetBundle.Load(folder);
            // Table-sized spaces ship every config's statistics; OFA's are recalibrated: by the trainer's evaluator
            // for TorchSharp, by Core's BatchNormCalibrator inside the extraction the generated model comes from.
            Assert.Equal(bundle.Spec.Space.Count(bundle.Spec.Stages.Count) <= 1000, bundle.BatchNormStatistics is not null);
            using var model = BundleRecalibrator.Model(bundle, CPU);
            var evaluator = new SubnetEvaluator(model, BundleRecalibrator.Calibration(bundle), BatchNormCalibrator.DefaultBatchSize);
            var test = TestData.FashionMnistSplits.Test.Take(Images);
            var (batch, labels) = BatchMaker.Make(test, BatchMaker.Range(0, Images), CPU);
            var truth = labels.data<long>().ToArray();
            var pixels = Enumerable.Range(0, Images).Select(i => test.Image(i).ToArray().Select(b => b / 255f).ToArray()).ToArray();
            var spec = bundle.Spec;
            foreach (var config in Configs(spec).Append(spec.Space.Middle(spec.Stages.Count)))
            {
                if (bundle.BatchNormStatistics is { } shipped)
                {
                    var statistics = shipped.For(config);
                    Assert.True(statistics is not null, $"{config} has no shipped statistics");
                    model.LoadBatchNormStatistics(statistics!);
                }
                else evaluator.Recalibrate(config);
                model.SetActive(config);
                model.eval();
                float[] torchLogits;
                using (no_grad()) torchLogits = model.forward(batch).data<float>().ToArray();

                using var generated = GeneratedModelCompiler.Compile(bundle, config);
                Compare(config.ToString(), torchLogits, generated, pixels);
                int correct = Enumerable.Range(0, Images).Count(i => ArgMax(torchLogits.AsSpan(i * 10, 10)) == truth[i]);
                _output.WriteLine($"{config}: {correct} of {Images} test images right");
                Assert.True(correct >= 75, $"{config}: only {correct} of {Images} right; the released supernets' subnets score 83–92 % on the test set");
            }
        }
        finally { System.IO.Directory.Delete(folder, recursive: true); }
    }

    private void Compare(string config, float[] torchLogits, GeneratedModel generated, float[][] pixels)
    {
        int classes = generated.ClassCount;
        Assert.Equal(pixels.Length * classes, torchLogits.Length);
        var softmax = generated.Artifact.Layers[^1];
        Assert.Equal("softmax", softmax.Op);
        var logitsSlice = softmax.Input!;
        var arena = (float[])generated.Type.GetField("_arena", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(generated.Instance)!;

        var probabilities = new float[classes];
        float worstProbability = 0, worstLogit = 0, largestLogit = 0;
        var predicted = new HashSet<int>();
        for (int i = 0; i < pixels.Length; i++)
        {
            generated.Predict(pixels[i], probabilities);
            var expectedLogits = torchLogits.AsSpan(i * classes, classes);
            var expected = SoftmaxReference.Of(expectedLogits);
            for (int c = 0; c < classes; c++)
            {
                float logit = arena[logitsSlice.Offset + c];
                worstLogit = Math.Max(worstLogit, Math.Abs(logit - expectedLogits[c]));
                worstProbability = Math.Max(worstProbability, Math.Abs(probabilities[c] - (float)expected[c]));
                largestLogit = Math.Max(largestLogit, Math.Abs(expectedLogits[c]));
            }
            int torchClass = ArgMax(expectedLogits), csharpClass = GeneratedModel.ArgMax(probabilities);
            Assert.True(torchClass == csharpClass,
                $"{config}, image {i}: TorchSharp predicts class {torchClass}, the generated model {csharpClass} (probabilities {string.Join(", ", probabilities)})");
            predicted.Add(csharpClass);
        }
        _output.WriteLine($"{config}: max |Δprobability| {worstProbability:G3}, max |Δlogit| {worstLogit:G3} (largest |logit| {largestLogit:G3}), {predicted.Count} distinct classes predicted");
        // The model's output, the probabilities: 1e-4 absolute.
        Assert.True(worstProbability <= Tolerance, $"{config}: probabilities differ by up to {worstProbability:G6} > {Tolerance}");
        // Softmax can saturate and hide an error, so the logits (read from the arena) too: 1e-4 of their size,
        // absolute for logits up to 1 — float32 sums in another order drift with the magnitude, not a fixed amount.
        float logitTolerance = Tolerance * Math.Max(1f, largestLogit);
        Assert.True(worstLogit <= logitTolerance, $"{config}: logits differ by up to {worstLogit:G6} > {logitTolerance:G6}");
    }

    /// <summary>Smallest, largest and three seeded random configs of the family's space.</summary>
    private static IEnumerable<SubnetConfig> Configs(SupernetSpec spec)
    {
        int stages = spec.Stages.Count;
        yield return spec.Space.Smallest(stages);
        yield return spec.Space.Largest(stages);
        var random = new Random(5);
        var sampler = new SubnetSampler(spec.Space.Depths, null, spec.Space.IsCoupled ? null : spec.Space.ExpandRatios, spec.Space.IsCoupled);
        for (int i = 0; i < 3; i++) yield return sampler.Sample(spec, random);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
