using System.Collections.Generic;
using System.Linq;
using SubnetGen.Trainer.Model;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace SubnetGen.Trainer.Training;

/// <summary>
/// SGD with Nesterov momentum and weight decay except on BN parameters and biases (OFA's no_decay_keys
/// "bn#bias"). Written out rather than torch.optim so its state (one momentum buffer per parameter,
/// by the parameter's bundle name) goes into the checkpoint next to the weights.
/// </summary>
internal sealed class Sgd
{
    private readonly List<(string Name, Parameter Parameter, bool Decay)> _parameters;

    public Sgd(IEnumerable<(string Name, Parameter Parameter)> parameters, double momentum = 0.9, double weightDecay = 3e-5)
    {
        _parameters = parameters.Select(p => (p.Name, p.Parameter, Decay: !p.Name.Contains(".bn.") && !p.Name.EndsWith(".bias", System.StringComparison.Ordinal))).ToList();
        Momentum = momentum;
        WeightDecay = weightDecay;
        foreach (var (name, p, _) in _parameters) Buffers[name] = zeros_like(p).detach();
    }

    public double Momentum { get; }
    public double WeightDecay { get; }
    public Dictionary<string, Tensor> Buffers { get; } = new();

    public void ZeroGrad()
    {
        foreach (var (_, p, _) in _parameters) p.grad?.zero_();
    }

    public void Step(double learningRate)
    {
        using var _ = no_grad();
        // Held until the loop ends (see Scalars).
        using var weightDecay = Scalars.Of(WeightDecay);
        using var momentum = Scalars.Of(Momentum);
        using var step = Scalars.Of(-learningRate);
        foreach (var (name, p, decay) in _parameters)
        {
            // A parameter no sampled subnet touched has no gradient yet (fresh process) or a zeroed one
            // (after earlier steps): both count as zero, so a resumed run steps exactly like an uninterrupted one.
            var grad = p.grad;
            using var g = grad is null
                ? (decay ? p.mul(weightDecay) : zeros_like(p))
                : decay ? grad.add(p, alpha: weightDecay) : grad.clone();
            var buffer = Buffers[name];
            buffer.mul_(momentum).add_(g, Scalars.One);
            using var update = g.add(buffer, alpha: momentum);
            p.add_(update, alpha: step);
        }
    }
}
