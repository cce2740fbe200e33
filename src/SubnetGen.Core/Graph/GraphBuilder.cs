using System;
using System.Collections.Generic;
using SubnetGen.Core.Space;
using SubnetGen.Runtime;

namespace SubnetGen.Core.Graph;

/// <summary>
/// Lowers (supernet structure, subnet config) to the layer list the generated code runs, following
/// OFA's MobileNetV3: stem → first block (dw + project, identity shortcut) → per stage the first d
/// MBConv blocks (expand 1×1 → depthwise k×k → SE → project 1×1, identity shortcut when stride 1 and
/// widths match) → head (final expand, pool, feature mix, classifier) → softmax.
/// </summary>
public static class GraphBuilder
{
    public static SubnetGraph Build(SupernetSpec spec, SubnetConfig config)
    {
        if (config.Stages.Count != spec.Stages.Count)
            throw new ArgumentException($"Config has {config.Stages.Count} stages; the supernet has {spec.Stages.Count}.", nameof(config));
        if (!spec.Space.Contains(config, out var reason))
            throw new ArgumentException($"Config {config} is not in the {spec.Space.Family} design space: {reason}.", nameof(config));

        var tensors = new List<TensorShape>();
        var layers = new List<Layer>();
        int NewTensor(TensorShape shape) { tensors.Add(shape); return tensors.Count - 1; }

        var (height, width) = spec.InputSize(config);
        int x = NewTensor(new TensorShape(height, width, spec.Input.Channels));
        layers.Add(new Layer(OpKind.Normalize, "input", Layer.External, x));

        var stem = spec.Stem;
        x = Add(OpKind.Conv, "stem", x, Downsample(tensors[x], stem.Stride, stem.OutChannels), stem.Kernel, stem.Stride, stem.Activation);

        var first = spec.FirstBlock;
        int shortcut = x;
        x = Add(OpKind.Depthwise, "first.dw", x, tensors[x], first.Kernel, 1, first.Activation);
        x = Add(OpKind.Pointwise, "first.project", x, tensors[x] with { Channels = first.OutChannels }, 1, 1, Activation.None,
            tensors[shortcut].Channels == first.OutChannels ? shortcut : Layer.External);

        for (int s = 0; s < spec.Stages.Count; s++)
        {
            var stage = spec.Stages[s];
            for (int b = 0; b < config.Stages[s].Count; b++)
            {
                var block = config.Stages[s][b];
                string name = $"stages.{s}.blocks.{b}";
                int stride = b == 0 ? stage.Stride : 1;
                int blockInput = x;
                int middle = spec.MiddleChannels(s, b, block.ExpandRatio);

                x = Add(OpKind.Pointwise, name + ".expand", x, tensors[x] with { Channels = middle }, 1, 1, stage.Activation);
                x = Add(OpKind.Depthwise, name + ".dw", x, Downsample(tensors[x], stride, middle), block.KernelSize, stride, stage.Activation);
                if (stage.SqueezeExcite)
                {
                    int reduced = Channels.SqueezeChannels(middle);
                    int scratch = NewTensor(new TensorShape(1, 1, middle + reduced));
                    layers.Add(new Layer(OpKind.SqueezeExcite, name + ".se", x, x, Scratch: scratch, ReducedChannels: reduced));
                }
                bool identity = stride == 1 && tensors[blockInput].Channels == stage.Width;
                x = Add(OpKind.Pointwise, name + ".project", x, tensors[x] with { Channels = stage.Width }, 1, 1, Activation.None,
                    identity ? blockInput : Layer.External);
            }
        }

        var head = spec.Head;
        x = Add(OpKind.Pointwise, "head.final_expand", x, tensors[x] with { Channels = head.FinalExpandChannels }, 1, 1, Activation.HSwish);
        x = Add(OpKind.GlobalAveragePool, "head.pool", x, new TensorShape(1, 1, head.FinalExpandChannels));
        x = Add(OpKind.Linear, "head.feature_mix", x, new TensorShape(1, 1, head.FeatureMixChannels), 1, 1, Activation.HSwish);
        x = Add(OpKind.Linear, "head.classifier", x, new TensorShape(1, 1, spec.ClassCount));
        layers.Add(new Layer(OpKind.Softmax, "softmax", x, Layer.External));

        return new SubnetGraph(spec, config, tensors, layers);

        int Add(OpKind op, string name, int from, TensorShape outShape, int kernel = 1, int stride = 1,
            Activation activation = Activation.None, int residual = Layer.External)
        {
            int output = NewTensor(outShape);
            layers.Add(new Layer(op, name, from, output, kernel, stride, activation, residual));
            return output;
        }
    }

    /// <summary>Output shape of a k×k convolution with padding k/2: ⌊(n − 1) / stride⌋ + 1.</summary>
    public static TensorShape Downsample(TensorShape shape, int stride, int channels) =>
        new((shape.Height - 1) / stride + 1, (shape.Width - 1) / stride + 1, channels);
}
