using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Model;

/// <summary>state_dict ↔ bundle tensors: the names are the same, so this is a copy (to float32 on the CPU and back).</summary>
internal static class SupernetState
{
    public static SortedDictionary<string, WeightTensor> Export(nn.Module module)
    {
        var result = new SortedDictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in module.state_dict())
        {
            using var cpu = tensor.detach().to(float32).cpu().contiguous();
            result[name] = new WeightTensor(cpu.shape.Select(d => (int)d).ToArray(), cpu.data<float>().ToArray());
        }
        return result;
    }

    /// <summary>
    /// <see cref="Import"/> of a bundle's tensors: a bundle may hold tensors beyond the structure's (docs/formats.md:
    /// readers ignore them), so only the module's names are taken; every one of those must still be there.
    /// </summary>
    public static void ImportFromBundle(nn.Module module, IReadOnlyDictionary<string, WeightTensor> tensors)
    {
        var names = new HashSet<string>(module.state_dict().Keys, StringComparer.Ordinal);
        Import(module, tensors.Where(p => names.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>Copies every tensor in place; every module tensor must be present with its shape (extra names are refused too).</summary>
    public static void Import(nn.Module module, IReadOnlyDictionary<string, WeightTensor> tensors)
    {
        var state = module.state_dict();
        foreach (var name in tensors.Keys)
            if (!state.ContainsKey(name)) throw new ArgumentException($"Tensor \"{name}\" is not part of this supernet.");
        using var _ = no_grad();
        foreach (var (name, target) in state)
        {
            if (!tensors.TryGetValue(name, out var source))
                throw new ArgumentException($"Tensor \"{name}\" is missing.");
            var shape = target.shape.Select(d => (int)d).ToArray();
            if (!source.HasShape(shape))
                throw new ArgumentException($"Tensor \"{name}\" has shape {source.ShapeText}; the supernet needs [{string.Join(", ", shape)}].");
            using var value = tensor(source.Data, target.shape);
            target.copy_(value);
        }
    }
}
