using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Export;

namespace SubnetGen.Trainer.Training;

/// <summary>
/// The trained bundle a run continues from (<c>--init</c>): its weights, checked to be this run's family and data
/// split, and its provenance, which the new bundle's extends (epochs and wall time add up).
/// </summary>
internal sealed record StartingBundle(string Folder, SupernetManifest Manifest, IReadOnlyDictionary<string, WeightTensor> Weights)
{
    public string Describe() => $"{Manifest.Id} {Manifest.Version}";

    public static StartingBundle Load(string folder, TrainOptions options, DatasetSplits splits)
    {
        var bundle = SupernetBundle.Load(folder);
        var family = bundle.Spec.Space.Family;
        if (family != options.Family)
            throw new ArgumentException($"--init {folder} is {bundle.Manifest.Id}, a {BundleExporter.FamilyName(family)} supernet; pass --family {BundleExporter.FamilyName(family).ToLowerInvariant()}.");
        TrainedSplit.Require(bundle, splits, options.ValidationCount, options.Seed, options.Data);
        return new StartingBundle(Path.GetFullPath(folder), bundle.Manifest, bundle.Tensors);
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
