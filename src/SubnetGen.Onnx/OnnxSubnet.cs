using System;
using System.Collections.Generic;
using System.Globalization;
using Google.Protobuf;
using Onnx;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Graph;
using SubnetGen.Runtime;

namespace SubnetGen.Onnx;

/// <summary>
/// The ONNX Runtime peer's model: an extracted subnet (Core's <see cref="ExtractedSubnet"/>: the layers and BN-folded
/// weights the generated C# model is built from) written as a static ONNX graph, opset 14. Every layer maps to the
/// standard op a PyTorch export of the folded network would produce — Conv (group = channels for depthwise),
/// HardSwish, Relu, HardSigmoid, GlobalAveragePool, Gemm, Add for residuals, Mul for squeeze-excite, Softmax — so
/// ONNX Runtime's graph optimiser and kernels get the network in the form they are built for.
/// Input <c>pixels</c> [1, H, W, C] in [0, 1] (the generated model's HWC order), output <c>probabilities</c>
/// [1, classes]. Weight layouts (docs/formats.md) are permuted into ONNX's [out][in/group][kH][kW].
/// </summary>
public static class OnnxSubnet
{
    public const string Input = "pixels";
    public const string Output = "probabilities";
    private const int Opset = 14; // HardSwish
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    public static byte[] Write(ExtractedSubnet subnet)
    {
        var graph = subnet.Graph;
        var onnx = new GraphProto { Name = graph.Config.ToString() };
        var names = new string[graph.Tensors.Count]; // graph tensor index → the ONNX value holding it now
        var inputShape = graph.InputShape;
        onnx.Input.Add(Value(Input, 1, inputShape.Height, inputShape.Width, inputShape.Channels));

        for (int i = 0; i < graph.Layers.Count; i++)
        {
            var layer = graph.Layers[i];
            var weights = subnet.Layout.Layers[i];
            string input = layer.Input == Layer.External ? Input : names[layer.Input];
            TensorShape inShape = layer.Input == Layer.External ? inputShape : graph.Tensors[layer.Input];
            string output = "t" + layer.Output.ToString(CultureInfo.InvariantCulture);
            string name = layer.Name;
            switch (layer.Op)
            {
                case OpKind.Normalize:
                {
                    var spec = graph.Spec.Input;
                    var mean = Initializer(onnx, name + ".mean", ToArray(spec.Mean), 1, spec.Channels, 1, 1);
                    var std = Initializer(onnx, name + ".std", ToArray(spec.Std), 1, spec.Channels, 1, 1);
                    var nchw = Node(onnx, "Transpose", name + ".nchw", new[] { input }).Ints("perm", 0, 3, 1, 2).Output;
                    var centred = Node(onnx, "Sub", name + ".centred", new[] { nchw, mean }).Output;
                    names[layer.Output] = Node(onnx, "Div", output, new[] { centred, std }).Output;
                    break;
                }
                case OpKind.Conv:
                case OpKind.Depthwise:
                case OpKind.Pointwise:
                {
                    int outC = graph.Tensors[layer.Output].Channels, inC = inShape.Channels, k = layer.Kernel;
                    var w = subnet.Weights.AsSpan(weights.Weights.Offset, weights.Weights.Length);
                    float[] onnxWeights = layer.Op switch
                    {
                        OpKind.Conv => Permute(w, outC, k * k, inC),        // [o][ky][kx][i] → [o][i][ky][kx]
                        OpKind.Depthwise => Permute(w, 1, k * k, inC),      // [ky][kx][c] → [c][ky][kx]
                        _ => Permute(w, 1, inC, outC),                      // [i][o] → [o][i]
                    };
                    var wName = Initializer(onnx, name + ".weight", onnxWeights, outC, layer.Op == OpKind.Depthwise ? 1 : inC, k, k);
                    var bName = Initializer(onnx, name + ".bias", Slice(subnet, weights.Bias), outC);
                    var conv = Node(onnx, "Conv", name + ".conv", new[] { input, wName, bName })
                        .Ints("kernel_shape", k, k).Ints("strides", layer.Stride, layer.Stride).Ints("pads", k / 2, k / 2, k / 2, k / 2);
                    if (layer.Op == OpKind.Depthwise) conv.Int("group", inC);
                    string result = Activate(onnx, layer.Activation, conv.Output, name);
                    if (layer.Residual != Layer.External)
                        result = Node(onnx, "Add", name + ".residual", new[] { result, names[layer.Residual] }).Output;
                    names[layer.Output] = result;
                    break;
                }
                case OpKind.SqueezeExcite:
                {
                    int c = inShape.Channels, r = layer.ReducedChannels;
                    var pooled = Node(onnx, "GlobalAveragePool", name + ".pool", new[] { input }).Output;
                    var reduce = Node(onnx, "Conv", name + ".reduce", new[] { pooled,
                        Initializer(onnx, name + ".reduce.weight", Slice(subnet, weights.Weights), r, c, 1, 1),
                        Initializer(onnx, name + ".reduce.bias", Slice(subnet, weights.Bias), r) }).Output;
                    var relu = Activate(onnx, Activation.Relu, reduce, name + ".reduce");
                    var expand = Node(onnx, "Conv", name + ".expand", new[] { relu,
                        Initializer(onnx, name + ".expand.weight", Slice(subnet, weights.Weights2!.Value), c, r, 1, 1),
                        Initializer(onnx, name + ".expand.bias", Slice(subnet, weights.Bias2!.Value), c) }).Output;
                    var scale = Activate(onnx, Activation.HSigmoid, expand, name + ".expand");
                    names[layer.Output] = Node(onnx, "Mul", name + ".scale", new[] { input, scale }).Output;
                    break;
                }
                case OpKind.GlobalAveragePool:
                {
                    var pooled = Node(onnx, "GlobalAveragePool", name, new[] { input }).Output;
                    names[layer.Output] = Node(onnx, "Flatten", output, new[] { pooled }).Int("axis", 1).Output; // [1, C] for Gemm
                    break;
                }
                case OpKind.Linear:
                {
                    int outF = graph.Tensors[layer.Output].Channels, inF = inShape.Channels;
                    var gemm = Node(onnx, "Gemm", name, new[] { input,
                        Initializer(onnx, name + ".weight", Slice(subnet, weights.Weights), outF, inF), // [out][in]: transB
                        Initializer(onnx, name + ".bias", Slice(subnet, weights.Bias), outF) }).Int("transB", 1).Output;
                    names[layer.Output] = Activate(onnx, layer.Activation, gemm, name);
                    break;
                }
                case OpKind.Softmax:
                    Node(onnx, "Softmax", Output, new[] { input }).Int("axis", 1);
                    onnx.Output.Add(Value(Output, 1, graph.Spec.ClassCount));
                    break;
                default:
                    throw new NotSupportedException($"Layer {name}: no ONNX form for {layer.Op}; add one to OnnxSubnet.Write.");
            }
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "SubnetGen", Graph = onnx };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    private static string Activate(GraphProto onnx, Activation activation, string input, string name) => activation switch
    {
        Activation.None => input,
        Activation.Relu => Node(onnx, "Relu", name + ".relu", new[] { input }).Output,
        Activation.HSwish => Node(onnx, "HardSwish", name + ".hswish", new[] { input }).Output,
        // relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1)
        Activation.HSigmoid => Node(onnx, "HardSigmoid", name + ".hsigmoid", new[] { input }).Float("alpha", 1f / 6).Float("beta", 0.5f).Output,
    };

    /// <summary>[a][b][c] → [a][c][b].</summary>
    private static float[] Permute(ReadOnlySpan<float> source, int a, int b, int c)
    {
        var result = new float[a * b * c];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                for (int k = 0; k < c; k++)
                    result[(i * c + k) * b + j] = source[(i * b + j) * c + k];
        return result;
    }

    private static float[] Slice(ExtractedSubnet subnet, Slice slice) => subnet.Weights.AsSpan(slice.Offset, slice.Length).ToArray();

    private static float[] ToArray(IReadOnlyList<float> values)
    {
        var result = new float[values.Count];
        for (int i = 0; i < result.Length; i++) result[i] = values[i];
        return result;
    }

    private static string Initializer(GraphProto onnx, string name, float[] values, params long[] dims)
    {
        long count = 1;
        foreach (var d in dims) count *= d;
        if (count != values.Length)
            throw new InvalidOperationException($"{name}: {values.Length} floats for shape [{string.Join(", ", dims)}].");
        var tensor = new TensorProto { Name = name, DataType = FloatType };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        onnx.Initializer.Add(tensor);
        return name;
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape } },
        };
    }

    private static NodeBuilder Node(GraphProto onnx, string op, string output, string[] inputs)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.Add(inputs);
        node.Output.Add(output);
        onnx.Node.Add(node);
        return new NodeBuilder(node);
    }

    /// <summary>Adds attributes to a node just added; <see cref="Output"/> is its one output's name.</summary>
    private readonly struct NodeBuilder(NodeProto node)
    {
        public string Output => node.Output[0];

        public NodeBuilder Int(string name, long value)
        {
            node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });
            return this;
        }

        public NodeBuilder Float(string name, float value)
        {
            node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });
            return this;
        }

        public NodeBuilder Ints(string name, params long[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.Add(values);
            node.Attribute.Add(attribute);
            return this;
        }
    }
}
