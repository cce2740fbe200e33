using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Cli.Profiling;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Ops;
using SubnetGen.Core.Space;
using SubnetGen.Onnx;
using SubnetGen.Runtime;
using SubnetGen.TestSupport;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Model;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// Every <see cref="OpKind"/> and every <see cref="Activation"/> through every place that maps them: spelling (subnet.json
/// and latency-table keys), op rules (cost, weight layout), the profiler's kernel call, the trainer's TorchSharp module,
/// Core's extraction, the generator's emitter with SubnetGen.Runtime's kernels, the tests' plain-loop reference and the
/// ONNX writer run by ONNX Runtime. The network is the CompOFA structure with its stages' activations cycling through
/// every member, so a new op or activation that some mapping lacks fails here (or does not compile).
/// </summary>
public class EveryOpAndActivationTests
{
    private const int Images = 20;
    private const float Tolerance = 1e-4f;
    private readonly ITestOutputHelper _output;

    public EveryOpAndActivationTests(ITestOutputHelper output) => _output = output;

    private static readonly Activation[] AllActivations = Enum.GetValues<Activation>();

    /// <summary>The shipped CompOFA structure, stage s using activation s mod |Activation|.</summary>
    private static SupernetSpec CoveringSpec()
    {
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        var stages = spec.Stages.Select((s, i) => s with { Activation = AllActivations[i % AllActivations.Length] }).ToArray();
        Assert.True(stages.Length >= AllActivations.Length, "the structure needs a stage per activation");
        return spec with { Stages = stages };
    }

    [Fact]
    public void LargestSubnet_UsesEveryOpAndActivation_AndEachHasItsRules()
    {
        var spec = CoveringSpec();
        var graph = GraphBuilder.Build(spec, spec.Space.Largest(spec.Stages.Count));
        foreach (var op in Enum.GetValues<OpKind>())
        {
            Assert.True(graph.Layers.Any(l => l.Op == op), $"no layer of op {op}: GraphBuilder does not produce it, so nothing below tests it");
            Assert.Equal(op, OpRegistry.Of(op).Kind);
            Assert.True(FormatNames.Of(op).Length > 0);
        }
        foreach (var activation in AllActivations)
        {
            Assert.True(graph.Layers.Any(l => l.Activation == activation), $"no layer applies {activation}");
            Assert.True(FormatNames.TryParseActivation(FormatNames.Of(activation), out var parsed) && parsed == activation, $"{activation} does not round-trip its spelling");
        }

        var layout = WeightLayout.Create(graph);
        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var layer = graph.Layers[i];
            var key = LayerKey.For(graph, layer);
            // The latency-table key names the layer exactly.
            Assert.True(LayerKey.TryParse(key.ToString(), out var parsed), $"{layer.Name}: {key} does not parse");
            Assert.Equal(key, parsed);
            // The rules agree with the graph: output shape, weights, and MACs only where there are weights to multiply.
            if (!key.Rules.InPlace && layer.Output != Layer.External) Assert.Equal(graph.Tensors[layer.Output], key.Rules.OutputShape(key));
            Assert.Equal(key.Rules.WeightSlots(key).Sum(), LayerLength(layout.Layers[i]));
            Assert.Equal(key.Rules.WeightSlots(key).Length > 0, key.Macs > 0);
            // The profiler runs every layer shape through the op's kernel.
            LayerRunner.Prepare(key, seed: i)();
        }
    }

    [Fact]
    public void TorchSharp_GeneratedCode_Reference_AndOnnx_Agree_OnEveryOpAndActivation()
    {
        TorchRequirement.Ensure();
        var spec = CoveringSpec();
        var config = spec.Space.Largest(spec.Stages.Count);
        using var model = new ElasticSupernet(spec, CPU, 7);
        Randomize.BatchNormsAndTransforms(model, 8);
        // A randomly initialised classifier gives logits within ±0.4, a nearly flat softmax: scale it so the outputs differ.
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.StartsWith("head.classifier.", StringComparison.Ordinal)) p.mul_(20);
        var tensors = SupernetState.Export(model);
        var manifest = new SupernetManifest("SubnetGen.Supernet.EveryOp.CompOFA", "0.0.0", Trained: false, spec, FashionMnist.Labels,
            new Provenance(Tool: nameof(EveryOpAndActivationTests)), MeasuredAccuracy.NotMeasured);
        var evaluator = new SubnetEvaluator(model, TestData.FashionMnistSplits.Validation.Take(300), 150);
        var test = TestData.FashionMnistSplits.Test.Take(Images);
        var (batch, _) = BatchMaker.Make(test, BatchMaker.Range(0, Images), CPU);
        var pixels = Enumerable.Range(0, Images).Select(i => test.Image(i).ToArray().Select(b => b / 255f).ToArray()).ToArray();

        // The trainer's module: the supernet with the subnet active, BN recalibrated, eval mode.
        var statistics = evaluator.RecalibratedStatistics(config);
        model.LoadBatchNormStatistics(statistics);
        model.SetActive(config);
        model.eval();
        float[] torchLogits;
        using (no_grad()) torchLogits = model.forward(batch).data<float>().ToArray();

        var extracted = SubnetExtractor.Extract(spec, tensors, config, new ExtractOptions { BatchNormStatistics = statistics });
        using var generated = GeneratedModelCompiler.Compile(manifest, extracted);
        using var onnx = new InferenceSession(OnnxSubnet.Write(extracted));
        int classes = spec.ClassCount;
        var probabilities = new float[classes];
        float worstGenerated = 0, worstReference = 0, worstOnnx = 0, worstLogit = 0;
        float largestLogit = torchLogits.Max(Math.Abs);
        for (int i = 0; i < Images; i++)
        {
            var expected = SoftmaxReference.Of(torchLogits.AsSpan(i * classes, classes));
            var reference = ReferenceForward.Run(extracted.Graph, extracted.Layout, extracted.Weights, pixels[i]);
            for (int c = 0; c < classes; c++) worstLogit = Math.Max(worstLogit, Math.Abs(reference.Logits[c] - torchLogits[i * classes + c]));
            generated.Predict(pixels[i], probabilities);
            worstGenerated = Math.Max(worstGenerated, MaxDifference(probabilities, expected));
            worstReference = Math.Max(worstReference, MaxDifference(reference.Probabilities, expected));
            worstOnnx = Math.Max(worstOnnx, MaxDifference(RunOnnx(onnx, pixels[i], spec), expected));
        }
        _output.WriteLine($"max |Δprobability| against TorchSharp: generated {worstGenerated:G3}, reference {worstReference:G3}, ONNX Runtime {worstOnnx:G3}; " +
            $"reference logits {worstLogit:G3} (largest |logit| {largestLogit:G3})");
        // Softmax can saturate or flatten and hide an error: the logits must be far from uniform, and match too.
        Assert.True(largestLogit > 1f, $"the random network's logits are all within ±{largestLogit:G3}: too flat to compare");
        Assert.True(worstLogit <= Tolerance * largestLogit, $"reference logits differ from TorchSharp by {worstLogit:G6}");
        Assert.True(worstGenerated <= Tolerance, $"generated code differs from TorchSharp by {worstGenerated:G6}");
        Assert.True(worstReference <= Tolerance, $"the reference forward differs from TorchSharp by {worstReference:G6}");
        Assert.True(worstOnnx <= Tolerance, $"the ONNX model differs from TorchSharp by {worstOnnx:G6}");
    }

    private static float[] RunOnnx(InferenceSession session, float[] pixels, SupernetSpec spec)
    {
        var shape = new long[] { 1, spec.Input.Height, spec.Input.Width, spec.Input.Channels };
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, shape);
        using var outputs = session.Run(new RunOptions(), new[] { OnnxSubnet.Input }, new[] { input }, new[] { OnnxSubnet.Output });
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static int LayerLength(LayerWeights w) => w.Weights.Length + w.Bias.Length + (w.Weights2?.Length ?? 0) + (w.Bias2?.Length ?? 0);

    private static float MaxDifference(IReadOnlyList<float> actual, double[] expected)
    {
        float worst = 0;
        for (int c = 0; c < expected.Length; c++) worst = Math.Max(worst, Math.Abs(actual[c] - (float)expected[c]));
        return worst;
    }
}
