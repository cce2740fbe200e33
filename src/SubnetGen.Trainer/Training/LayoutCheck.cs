using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Model;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Training;

/// <summary>
/// Whether libtorch's channels-last kernels compute the same training step as its contiguous ones for this
/// supernet on this machine. Not everywhere: with TorchSharp-cpu 0.107.0 on the workplace's AMD EPYC (AVX2),
/// 1×1 convolutions with 40 or 80 output channels return wrong values on channels-last input (docs/training.md).
/// SGD steps in that layout would train a function that evaluation, always contiguous, never computes; so a
/// channels-last run checks first, on its own batch size, and refuses when the layouts disagree.
/// </summary>
internal static class LayoutCheck
{
    /// <summary>Logits, relative to their largest value. Layouts that agree differ by ~3e-5 (batch statistics' rounding).</summary>
    public const double LogitTolerance = 1e-3;

    /// <summary>
    /// Each parameter's gradient, relative to its largest value (or a hundredth of the largest gradient, whichever is
    /// more). Agreeing layouts: up to ~2e-3 (depthwise weights, measured against float64). Where MOOFA's logits agree
    /// here, its gradients are still off by 5-10 % (some by more than the gradient's own size): the backward kernels.
    /// </summary>
    public const double GradientTolerance = 1e-2;

    public sealed record Result(double LogitError, double GradientError, string Worst)
    {
        public bool Agrees => LogitError <= LogitTolerance && GradientError <= GradientTolerance;

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"channels-last vs contiguous: logits off by {LogitError:G2} of their scale (allowed {LogitTolerance:G1}), gradients by {GradientError:G2} (allowed {GradientTolerance:G1}); worst: {Worst}");
    }

    /// <summary>Refusal for a run that asked for channels-last where it computes something else.</summary>
    public static string Refusal(Result result) =>
        "--memory-format channels-last: libtorch's channels-last kernels compute a different training step from the contiguous ones on this machine " +
        $"({result.Describe()}). Train with --memory-format contiguous (the default); `subnetgen-train measure` shows the check beside the timings.";

    /// <summary>Smallest, middle and largest: between them every kernel size and every expand ratio of every block, so every convolution shape a step can meet.</summary>
    public static IReadOnlyList<SubnetConfig> Configs(SupernetSpec spec) =>
        new[] { spec.Space.Smallest(spec.Stages.Count), Schedule.Middle(spec), spec.Space.Largest(spec.Stages.Count) };

    /// <summary>
    /// One forward and backward pass per config in each layout with train-mode BN, and one eval-mode forward (the
    /// teacher's), on a freshly initialised copy of the supernet (the check is about kernels and shapes, not
    /// weights; the copy leaves the run's model untouched).
    /// </summary>
    public static Result Compare(SupernetSpec spec, Device device, Tensor images, Tensor labels, IEnumerable<SubnetConfig> configs)
    {
        using var model = new ElasticSupernet(spec, device, seed: 1);
        model.train();
        double logitError = 0, gradientError = 0, worstShare = 0;
        string worst = "none";
        void Note(double error, double tolerance, string what)
        {
            if (error / tolerance > worstShare) (worstShare, worst) = (error / tolerance, what);
        }
        foreach (var config in configs)
        {
            // One scope per config frees its logits, gradients, graphs and temporaries together.
            using var scope = NewDisposeScope();
            model.SetActive(config);
            var (logitsA, gradsA) = Step(model, MemoryFormat.Contiguous, images, labels);
            var (logitsB, gradsB) = Step(model, MemoryFormat.ChannelsLast, images, labels);
            double l = Relative(logitsA, logitsB);
            logitError = Math.Max(logitError, l);
            Note(l, LogitTolerance, $"logits of {config}");
            // Some gradients are zero but for rounding (a BN bias feeding only another train-mode BN): measured against
            // a hundredth of the largest gradient, their noise is not mistaken for a disagreement.
            double floor = 1e-2 * gradsA.Values.Select(t => (double)t.abs().max().item<float>()).DefaultIfEmpty(0).Max();
            foreach (var (name, a) in gradsA)
            {
                double g = Relative(a, gradsB[name], floor);
                gradientError = Math.Max(gradientError, g);
                Note(g, GradientTolerance, $"gradient of {name} in {config}");
            }

            // The distillation teacher runs channels-last too, in eval mode: other kernels (running-statistics BN).
            model.eval();
            using (no_grad())
            {
                model.MemoryFormat = MemoryFormat.Contiguous;
                var evalA = model.forward(images);
                model.MemoryFormat = MemoryFormat.ChannelsLast;
                double e = Relative(evalA, model.forward(images));
                logitError = Math.Max(logitError, e);
                Note(e, LogitTolerance, $"eval-mode logits of {config}");
            }
            model.train();
        }
        model.MemoryFormat = MemoryFormat.Contiguous;
        return new Result(logitError, gradientError, worst);
    }

    private static (Tensor Logits, Dictionary<string, Tensor> Gradients) Step(ElasticSupernet model, MemoryFormat format, Tensor images, Tensor labels)
    {
        model.MemoryFormat = format;
        model.zero_grad();
        var logits = model.forward(images);
        nn.functional.cross_entropy(logits, labels).backward();
        var grads = model.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone(), StringComparer.Ordinal);
        return (logits.detach(), grads);
    }

    /// <summary>max |a − b| / max(max |a|, floor); the bare difference where both are 0 (inactive parts of the supernet: zero gradients in both layouts).</summary>
    private static double Relative(Tensor a, Tensor b, double floor = 0)
    {
        double scale = Math.Max(a.abs().max().item<float>(), floor);
        double diff = (a - b).abs().max().item<float>();
        return scale > 0 ? diff / scale : diff;
    }
}
