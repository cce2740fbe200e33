using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Onnx;
using SubnetGen.TestSupport;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SubnetGen.Benchmarks;

/// <summary>
/// Batch-1 inference of one subnet of the released, trained CompOFA supernet (feed/, the package a build gets):
/// the generated C# model's <c>Predict</c> (weights BN-folded by Core's extraction, the real generator run in
/// process, compiled by Roslyn: <see cref="GeneratedModelCompiler"/>) against the peer an ML developer would
/// otherwise ship, TorchSharp/libtorch's forward of the same subnet — the trainer's supernet module with the
/// subnet active, the bundle's per-config BN statistics loaded, eval mode, no_grad, one intra-op thread — and
/// ONNX Runtime running the same extracted, BN-folded subnet written as a static ONNX graph
/// (<see cref="OnnxSubnet"/>), all graph optimisations on, one intra-op thread, input and output bound to
/// preallocated buffers. All take the same 28×28 test image in [0, 1], normalise it inside, and end in softmax
/// probabilities. GlobalSetup checks that every peer gives the generated model's class (and probabilities within
/// 1e-4) on real test images.
/// </summary>
[MemoryDiagnoser]
public class ModelBenchmarks
{
    private const string Package = ReleasedBundle.CompOfa;
    private const int CheckImages = 20;

    [Params(ReferenceSubnets.SmallestName, ReferenceSubnets.MiddleName, ReferenceSubnets.LargestName)]
    public string Subnet { get; set; } = "";

    private string _folder = "";
    private GeneratedModel _generated = null!;
    private ElasticSupernet _torch = null!;
    private InferenceSession _onnx = null!;
    private RunOptions _onnxRun = null!;
    private OrtValue[] _onnxInput = null!, _onnxOutput = null!;
    private static readonly string[] OnnxInputNames = { OnnxSubnet.Input }, OnnxOutputNames = { OnnxSubnet.Output };
    private Tensor _input = null!;
    private float[] _pixels = null!;
    private readonly float[] _probabilities = new float[10];
    private readonly float[] _onnxProbabilities = new float[10];

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        _folder = ReleasedBundle.Extract(ReleasedBundle.CompOfa);
        var bundle = SupernetBundle.Load(_folder);
        var config = ReferenceSubnets.ByName(bundle.Spec, Subnet) ?? throw new InvalidOperationException($"No reference subnet '{Subnet}'.");
        var statistics = bundle.BatchNormStatistics?.For(config)
            ?? throw new InvalidOperationException($"{Package} ships no BN statistics for {config}.");

        var extracted = SubnetExtractor.Extract(bundle, config);
        _generated = GeneratedModelCompiler.Compile(bundle.Manifest, extracted);
        _torch = BundleRecalibrator.Model(bundle, CPU);
        _torch.LoadBatchNormStatistics(statistics);
        _torch.SetActive(config);
        _torch.eval();
        _onnx = new InferenceSession(OnnxSubnet.Write(extracted), new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        });
        _onnxRun = new RunOptions();

        var test = IdxTestSet.Load(IdxTestSet.FashionMnistFolder, CheckImages);
        Check(test, config.ToString(), "TorchSharp", TorchProbabilities);
        Check(test, config.ToString(), "ONNX Runtime", OnnxProbabilities);
        _pixels = test.Image(0);
        _input = Tensor(_pixels);
        _onnxInput = new[] { OrtValue.CreateTensorValueFromMemory(_pixels, OnnxInputShape()) };
        _onnxOutput = new[] { OrtValue.CreateTensorValueFromMemory(_onnxProbabilities, new long[] { 1, _onnxProbabilities.Length }) };
        Console.WriteLine($"// {Subnet} = {config}: {_generated.Cost.Macs:N0} MACs, {_generated.Cost.Parameters:N0} parameters; " +
            $"TorchSharp {torch.__version__}, {torch.get_num_threads()} thread(s); ONNX Runtime {OrtEnv.Instance().GetVersionString()}, 1 thread");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input?.Dispose();
        _torch?.Dispose();
        foreach (var value in (_onnxInput ?? Array.Empty<OrtValue>()).Concat(_onnxOutput ?? Array.Empty<OrtValue>())) value.Dispose();
        _onnxRun?.Dispose();
        _onnx?.Dispose();
        _generated?.Dispose();
        if (_folder.Length > 0 && Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The peer: libtorch's forward, batch 1, eval, no_grad, one thread; probabilities copied out like Predict's.</summary>
    [Benchmark(Baseline = true)]
    public int TorchSharp()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var probabilities = nn.functional.softmax(_torch.forward(_input), 1);
        using var data = probabilities.data<float>();
        data.CopyTo(_probabilities);
        return GeneratedModel.ArgMax(_probabilities);
    }

    /// <summary>The second peer: ONNX Runtime on the BN-folded subnet, batch 1, one thread, input and output bound to preallocated buffers.</summary>
    [Benchmark]
    public int OnnxRuntime()
    {
        _onnx.Run(_onnxRun, OnnxInputNames, _onnxInput, OnnxOutputNames, _onnxOutput);
        return GeneratedModel.ArgMax(_onnxProbabilities);
    }

    /// <summary>The generated C# model: one Predict (normalise, every layer, softmax) into the same buffer.</summary>
    [Benchmark]
    public int GeneratedCSharp()
    {
        _generated.Predict(_pixels, _probabilities);
        return GeneratedModel.ArgMax(_probabilities);
    }

    /// <summary>The peer's class (and probabilities within 1e-4) equal the generated model's on the first test images, or the comparison is not of equal work.</summary>
    private void Check(IdxTestSet test, string config, string peer, Func<float[], float[]> peerProbabilities)
    {
        float worst = 0;
        for (int i = 0; i < test.Count; i++)
        {
            var pixels = test.Image(i);
            var fromPeer = peerProbabilities(pixels);
            _generated.Predict(pixels, _probabilities);
            int a = GeneratedModel.ArgMax(fromPeer), b = GeneratedModel.ArgMax(_probabilities);
            if (a != b)
                throw new InvalidOperationException($"{config}, test image {i}: {peer} predicts class {a}, the generated model {b}; the benchmark would not compare equal work.");
            for (int c = 0; c < _probabilities.Length; c++) worst = Math.Max(worst, Math.Abs(fromPeer[c] - _probabilities[c]));
        }
        if (worst > 1e-4f)
            throw new InvalidOperationException($"{config}: {peer} and the generated model differ by up to {worst:G3} in probability on {test.Count} test images (> 1e-4).");
        Console.WriteLine($"// {config}: {peer} gives the generated model's class on {test.Count} Fashion-MNIST test images, max |Δp| {worst:G3}");
    }

    private float[] TorchProbabilities(float[] pixels)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return nn.functional.softmax(_torch.forward(Tensor(pixels)), 1).data<float>().ToArray();
    }

    private float[] OnnxProbabilities(float[] pixels)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, OnnxInputShape());
        using var outputs = _onnx.Run(_onnxRun, OnnxInputNames, new[] { input }, OnnxOutputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>[1, H, W, C]: the generated model's HWC pixels (<see cref="OnnxSubnet"/> transposes them to NCHW).</summary>
    private static long[] OnnxInputShape() => new long[] { 1, 28, 28, 1 };

    /// <summary>A 28×28×1 image (HWC = CHW for one channel) as an NCHW batch of one.</summary>
    private static Tensor Tensor(float[] pixels) => tensor(pixels, new long[] { 1, 1, 28, 28 });
}
