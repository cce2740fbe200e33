using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Export;

namespace SubnetGen.Trainer.Training;

/// <summary>
/// What a run starts from instead of random weights (<c>--init</c>): a trained supernet bundle, which the run fine-tunes
/// and whose provenance the new bundle's extends (epochs and wall time add up); or a network file (a run's
/// <c>checkpoint/teacher.safetensors</c>), a trained full network the shrinking phases start from. A file carries no
/// record of its training, so it is named by its hash, and its epochs and wall time are not counted.
/// </summary>
internal sealed record StartingPoint(string Source, SupernetManifest? Manifest, IReadOnlyDictionary<string, WeightTensor> Weights)
{
    /// <summary>How the schedule treats it (<see cref="Schedule.DefaultEpochs"/>).</summary>
    public StartingWeights Kind => Manifest is null ? StartingWeights.Teacher : StartingWeights.Supernet;

    public string Describe() => Manifest is null ? DescribeTeacher(Source) : $"{Manifest.Id} {Manifest.Version}";

    public static StartingPoint Load(string path, TrainOptions options, DatasetSplits splits)
    {
        if (File.Exists(path))
            // The import into the run's supernet names any tensor that does not fit; the split cannot be checked (docs/training.md).
            return new StartingPoint(Path.GetFullPath(path), null, TeacherTensors(path));
        if (!Directory.Exists(path))
            throw new FileNotFoundException($"--init {path}: no such bundle folder or safetensors file. Pass a trained bundle folder (to fine-tune it) or a run's checkpoint/{Checkpoint.TeacherFileName} (to shrink from that network).", path);
        var bundle = SupernetBundle.Load(path);
        var family = bundle.Spec.Space.Family;
        if (family != options.Family)
            throw new ArgumentException($"--init {path} is {bundle.Manifest.Id}, a {FormatNames.DisplayName(family)} supernet; pass --family {FormatNames.DisplayName(family).ToLowerInvariant()}.");
        TrainedSplit.Require(bundle, splits, options.ValidationCount, options.Seed, options.Data);
        return new StartingPoint(Path.GetFullPath(path), bundle.Manifest, bundle.Tensors);
    }

    /// <summary>
    /// What <c>--teacher</c> named, for the provenance: a bundle by its id and version, a safetensors file by its name
    /// and the start of its SHA-256 (a run's teacher.safetensors is only told apart by its content).
    /// </summary>
    public static string DescribeTeacher(string path)
    {
        if (Directory.Exists(path))
        {
            var manifest = SupernetBundle.Load(path).Manifest;
            return $"{manifest.Id} {manifest.Version}";
        }
        using var file = File.OpenRead(path);
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(file)).ToLowerInvariant();
        return $"{Path.GetFileName(path)} (SHA-256 {hash.Substring(0, 16)})";
    }

    /// <summary>
    /// The distillation teacher's tensors from <c>--teacher</c>: a safetensors file (a checkpoint's teacher.safetensors)
    /// or a bundle folder. Checked against the run's supernet by the import, which names any tensor that does not fit.
    /// </summary>
    public static IReadOnlyDictionary<string, WeightTensor> TeacherTensors(string path)
    {
        if (Directory.Exists(path))
        {
            // A bundle may hold tensors beyond its structure's (docs/formats.md: readers ignore them); the teacher is the
            // structure, and the import that checks it refuses any name the supernet lacks.
            var bundle = SupernetBundle.Load(path);
            var structure = SupernetTensors.Expected(bundle.Spec).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            return bundle.Tensors.Where(p => structure.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }
        if (!File.Exists(path))
            throw new FileNotFoundException($"--teacher {path}: no such file or bundle folder. Pass a run's checkpoint/{Checkpoint.TeacherFileName} or a bundle folder.", path);
        // A checkpoint also holds momentum buffers; the teacher is the network only.
        return Safetensors.Read(path).Tensors.Where(p => !p.Key.StartsWith(Checkpoint.MomentumPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }
}
