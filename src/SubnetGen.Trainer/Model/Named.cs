using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace SubnetGen.Trainer.Model;

/// <summary>
/// A module that only holds named children, parameters and buffers. The supernet computes its own
/// forward (the active subnet decides the slices), so these exist to give every tensor exactly the
/// bundle's name (docs/formats.md): <c>state_dict</c> ↔ <c>weights.safetensors</c> is a plain copy.
/// </summary>
/// <remarks>
/// TorchSharp registers a module's fields by reflection (auto-property backing fields included) under the
/// field's name, which would replace the bundle names; so the typed accessors read from <see cref="Refs"/>,
/// a dictionary TorchSharp does not look into.
/// </remarks>
internal class Named : nn.Module
{
    private readonly Dictionary<string, object> _refs = new(StringComparer.Ordinal);

    public Named(string name) : base(name) { }

    public T Ref<T>(string name) where T : class => (T)_refs[name];


    public T Child<T>(string name, T module) where T : nn.Module
    {
        register_module(name, module);
        _refs[name] = module;
        return module;
    }

    public Parameter Param(string name, Tensor value)
    {
        var p = new Parameter(value, requires_grad: true);
        register_parameter(name, p);
        _refs[name] = p;
        return p;
    }

    public Tensor Buffer(string name, Tensor value)
    {
        register_buffer(name, value);
        _refs[name] = value;
        return value;
    }
}

/// <summary>A bias-free convolution weight: <c>&lt;prefix&gt;.conv.weight</c>'s holder.</summary>
internal sealed class ConvWeight : Named
{
    public ConvWeight(Tensor weight) : base("conv") => Param("weight", weight);

    public Parameter Weight => Ref<Parameter>("weight");
}

/// <summary>A convolution or linear layer with bias (squeeze-excite, classifier).</summary>
internal sealed class WeightBias : Named
{
    public WeightBias(string name, Tensor weight, Tensor bias) : base(name)
    {
        Param("weight", weight);
        Param("bias", bias);
    }

    public Parameter Weight => Ref<Parameter>("weight");
    public Parameter Bias => Ref<Parameter>("bias");
}

/// <summary>
/// Batch norm whose active width is the first <c>c</c> channels (OFA's DynamicBatchNorm2d): weight,
/// bias and running statistics are sliced as views, so training-mode updates land in the supernet's
/// buffers. No <c>num_batches_tracked</c>: the bundle has none.
/// </summary>
internal sealed class DynamicBatchNorm : Named
{
    public const double Epsilon = 1e-5;

    public DynamicBatchNorm(int channels, Device device) : base("bn")
    {
        Param("weight", ones(channels, device: device));
        Param("bias", zeros(channels, device: device));
        Buffer("running_mean", zeros(channels, device: device));
        Buffer("running_var", ones(channels, device: device));
    }

    public Parameter Weight => Ref<Parameter>("weight");
    public Parameter Bias => Ref<Parameter>("bias");
    public Tensor RunningMean => Ref<Tensor>("running_mean");
    public Tensor RunningVar => Ref<Tensor>("running_var");

    /// <param name="momentum">Running-statistics momentum in training mode (0.1; 1/i during BN recalibration).</param>
    public Tensor Forward(Tensor x, int channels, bool training, double momentum)
    {
        int full = (int)Weight.shape[0];
        if (channels == full)
            return nn.functional.batch_norm(x, RunningMean, RunningVar, Weight, Bias, training, momentum, Epsilon);
        return nn.functional.batch_norm(x,
            RunningMean.narrow(0, 0, channels), RunningVar.narrow(0, 0, channels),
            Weight.narrow(0, 0, channels), Bias.narrow(0, 0, channels), training, momentum, Epsilon);
    }

    /// <summary>Forget the running statistics (start of BN recalibration).</summary>
    public void ResetStatistics()
    {
        using var _ = no_grad();
        RunningMean.zero_();
        RunningVar.fill_(Scalars.One);
    }
}

/// <summary>Convolution + BN: <c>&lt;prefix&gt;.conv.weight</c>, <c>&lt;prefix&gt;.bn.*</c>.</summary>
internal class ConvBn : Named
{
    public ConvBn(string name, Tensor weight, Device device) : base(name)
    {
        int channels = (int)weight.shape[0]; // read first: the Parameter takes over the tensor's handle
        Child("conv", new ConvWeight(weight));
        Child("bn", new DynamicBatchNorm(channels, device));
    }

    public ConvWeight Conv => Ref<ConvWeight>("conv");
    public DynamicBatchNorm Bn => Ref<DynamicBatchNorm>("bn");
}
