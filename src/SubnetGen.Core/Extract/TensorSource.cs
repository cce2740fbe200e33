using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Extract;

/// <summary>Supernet tensors looked up by name, with the check that they are at least as large as the active slice.</summary>
internal sealed class TensorSource
{
    private readonly IReadOnlyDictionary<string, WeightTensor> _tensors;

    public TensorSource(IReadOnlyDictionary<string, WeightTensor> tensors) => _tensors = tensors;

    public bool Has(string name) => _tensors.ContainsKey(name);

    /// <summary>The tensor <paramref name="name"/>, whose rank must be <paramref name="atLeast"/>.Length and each dimension ≥ the given one (−1: any).</summary>
    public WeightTensor Get(string name, params int[] atLeast)
    {
        if (!_tensors.TryGetValue(name, out var tensor))
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.TensorMissing,
                $"The supernet has no tensor \"{name}\", which this subnet needs.", SupernetBundle.WeightsFileName, 0, 0,
                "export the weights and supernet.json from the same trained supernet."));
        if (tensor.Shape.Count != atLeast.Length || atLeast.Where((d, i) => d >= 0 && tensor.Shape[i] < d).Any())
            throw ShapeError(name, tensor, "at least [" + string.Join(", ", atLeast.Select(d => d < 0 ? "*" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]");
        return tensor;
    }

    public SubnetGenException ShapeError(string name, WeightTensor tensor, string expected) =>
        new(new Diagnostic(DiagnosticCodes.TensorShapeMismatch,
            $"Supernet tensor \"{name}\" has shape {tensor.ShapeText}; this subnet needs {expected}.", SupernetBundle.WeightsFileName, 0, 0,
            "export the weights and supernet.json from the same trained supernet."));
}
