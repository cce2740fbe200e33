using System;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Model;

/// <summary>SubnetGen.Runtime's activations as TorchSharp functions (the same MobileNetV3 definitions).</summary>
internal static class Activations
{
    public static Tensor Apply(Tensor x, Activation activation) => activation switch
    {
        Activation.None => x,
        Activation.Relu => nn.functional.relu(x),
        Activation.HSwish => nn.functional.hardswish(x),
        Activation.HSigmoid => nn.functional.hardsigmoid(x),
    };
}

/// <summary>
/// How batch norm runs: evaluation (running statistics), training (batch statistics, momentum 0.1),
/// or recalibration (batch statistics, cumulative average with momentum 1/i, OFA's set_running_statistics).
/// </summary>
internal sealed class BatchNormMode
{
    public static readonly BatchNormMode Eval = new(false, 0.1);
    public static readonly BatchNormMode Train = new(true, 0.1);

    private BatchNormMode(bool training, double momentum)
    {
        Training = training;
        Momentum = momentum;
    }

    public bool Training { get; }
    public double Momentum { get; }

    /// <summary>The i-th (1-based) calibration batch: the running statistics become the average over batches 1..i.</summary>
    public static BatchNormMode Calibrate(int batchIndex) => new(true, 1.0 / batchIndex);

    public Tensor Apply(DynamicBatchNorm bn, Tensor x, int channels) => bn.Forward(x, channels, Training, Momentum);
}

/// <summary>
/// OFA's init_model("he_fout"): conv N(0, √(2/(k·k·out))), linear U(±1/√in), BN 1/0, biases 0.
/// Draws from its own generator, not torch's global one, so that a seed gives the same network even while
/// another supernet is built on another thread (the tests do; the global generator would interleave them).
/// </summary>
internal sealed class Init : IDisposable
{
    private readonly Generator _generator;

    /// <summary>Same sequence as torch.manual_seed(seed) followed by the same draws on the default CPU generator.</summary>
    public Init(long seed) => _generator = new Generator(unchecked((ulong)seed));

    public Tensor Conv(int outChannels, int inChannels, int kernel, Device device)
    {
        double std = Math.Sqrt(2.0 / (kernel * kernel * outChannels));
        return (randn(new long[] { outChannels, inChannels, kernel, kernel }, generator: _generator) * std).to(device);
    }

    public Tensor Linear(int outFeatures, int inFeatures, Device device)
    {
        double bound = 1.0 / Math.Sqrt(inFeatures);
        return ((rand(new long[] { outFeatures, inFeatures }, generator: _generator) * 2 - 1) * bound).to(device);
    }

    public void Dispose() => _generator.Dispose();
}
