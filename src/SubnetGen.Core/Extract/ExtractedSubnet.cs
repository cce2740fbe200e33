using SubnetGen.Core.Graph;

namespace SubnetGen.Core.Extract;

/// <summary>
/// A subnet cut out of a supernet: its layers, where each layer's weights sit, and the folded weights
/// themselves (<see cref="WeightLayout.TotalFloats"/> floats, alignment padding zero) — the content of
/// <c>&lt;Model&gt;.weights.bin</c>.
/// </summary>
public sealed record ExtractedSubnet(SubnetGraph Graph, WeightLayout Layout, float[] Weights);
