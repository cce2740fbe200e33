using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using SubnetGen.Core.Bundle;
using SubnetGen.Trainer.Model;

namespace SubnetGen.Trainer.Training;

/// <summary>Where a run stands after a finished epoch: everything else (shuffling, augmentation, sampled subnets) is derived from the seed and these numbers.</summary>
internal sealed record RunPosition(int Phase, int Epoch, double WallTimeSeconds, IReadOnlyList<string> History);

/// <summary>What else decides the floats of a run: the feature-map layout, for channels-last the thread count, and the sandwich rule.</summary>
internal sealed record RunNumerics(MemoryFormat Format, int Threads, SandwichRule Sandwich = SandwichRule.None);

/// <summary>
/// A checkpoint: one safetensors file with the supernet tensors (bundle names), the optimizer's momentum
/// buffers (<c>optimizer.momentum.&lt;name&gt;</c>), and the run position, memory format, thread count and
/// <see cref="RunPlan"/> in its metadata. Written to a temporary file and renamed, so a killed run leaves the previous checkpoint intact.
/// </summary>
internal static class Checkpoint
{
    public const string FileName = "checkpoint.safetensors";
    public const string TeacherFileName = "teacher.safetensors";
    public const string MomentumPrefix = "optimizer.momentum.";

    public static void Save(string path, IReadOnlyDictionary<string, WeightTensor> model, IReadOnlyDictionary<string, WeightTensor> momentum, RunPosition position, RunNumerics numerics, RunPlan? plan = null)
    {
        var all = new SortedDictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var (k, v) in model) all[k] = v;
        foreach (var (k, v) in momentum) all[MomentumPrefix + k] = v;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["phase"] = position.Phase.ToString(CultureInfo.InvariantCulture),
            ["epoch"] = position.Epoch.ToString(CultureInfo.InvariantCulture),
            ["wallTimeSeconds"] = position.WallTimeSeconds.ToString("R", CultureInfo.InvariantCulture),
            ["history"] = JsonSerializer.Serialize(position.History),
            ["memoryFormat"] = MemoryFormats.Name(numerics.Format),
            ["threads"] = numerics.Threads.ToString(CultureInfo.InvariantCulture),
            ["sandwich"] = SandwichRules.Name(numerics.Sandwich),
        };
        if (plan is not null) metadata["plan"] = JsonSerializer.Serialize(plan);
        WriteAtomically(path, Safetensors.ToBytes(all, metadata));
    }

    /// <returns>Plan: null for checkpoints of older trainers, which did not record it.</returns>
    public static (SortedDictionary<string, WeightTensor> Model, SortedDictionary<string, WeightTensor> Momentum, RunPosition Position, RunNumerics Numerics, RunPlan? Plan) Load(string path)
    {
        var content = Safetensors.Read(path);
        var model = new SortedDictionary<string, WeightTensor>(StringComparer.Ordinal);
        var momentum = new SortedDictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var (k, v) in content.Tensors)
        {
            if (k.StartsWith(MomentumPrefix, StringComparison.Ordinal)) momentum[k.Substring(MomentumPrefix.Length)] = v;
            else model[k] = v;
        }
        var m = content.Metadata;
        var position = new RunPosition(
            int.Parse(m["phase"], CultureInfo.InvariantCulture),
            int.Parse(m["epoch"], CultureInfo.InvariantCulture),
            double.Parse(m["wallTimeSeconds"], CultureInfo.InvariantCulture),
            JsonSerializer.Deserialize<string[]>(m["history"]) ?? Array.Empty<string>());
        // Checkpoints written before these keys existed were contiguous (thread count not recorded: 0) and without the sandwich rule.
        var numerics = new RunNumerics(
            m.TryGetValue("memoryFormat", out var name) ? MemoryFormats.Parse(name) : MemoryFormat.Contiguous,
            m.TryGetValue("threads", out var threads) ? int.Parse(threads, CultureInfo.InvariantCulture) : 0,
            !m.TryGetValue("sandwich", out var sandwich) ? SandwichRule.None
                // Stop 9's checkpoints wrote the largest-only rule as a boolean.
                : sandwich == "true" ? SandwichRule.Largest : sandwich == "false" ? SandwichRule.None : SandwichRules.Parse(sandwich));
        var plan = m.TryGetValue("plan", out var planJson) ? JsonSerializer.Deserialize<RunPlan>(planJson) : null;
        return (model, momentum, position, numerics, plan);
    }

    public static void SaveTensors(string path, IReadOnlyDictionary<string, WeightTensor> tensors) => WriteAtomically(path, Safetensors.ToBytes(tensors));

    /// <summary>Temp file in the same folder, flushed to disk, then renamed over the target.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
    }
}
