using System;
using System.Collections.Generic;
using System.Linq;

namespace SubnetGen.Core.Bundle;

/// <summary>A float32 tensor in PyTorch layout (row-major over <see cref="Shape"/>), as stored in <c>weights.safetensors</c>.</summary>
public sealed class WeightTensor
{
    public WeightTensor(IReadOnlyList<int> shape, float[] data)
    {
        Shape = shape.ToArray();
        if (Shape.Any(d => d < 0)) throw new ArgumentException("Tensor dimensions must be non-negative.", nameof(shape));
        long count = ElementCount(Shape);
        if (count != data.Length) throw new ArgumentException($"Shape [{string.Join(", ", Shape)}] needs {count} values, got {data.Length}.", nameof(data));
        Data = data;
    }

    public IReadOnlyList<int> Shape { get; }
    public float[] Data { get; }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public bool HasShape(IReadOnlyList<int> shape) => Shape.SequenceEqual(shape);

    public static long ElementCount(IReadOnlyList<int> shape)
    {
        long count = 1;
        foreach (int d in shape) count *= d;
        return count;
    }
}
