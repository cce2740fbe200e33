using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.Core.Tests.Constraints;
using SubnetGen.Core.Tests.Extract;
using SubnetGen.TestSupport;

namespace SubnetGen.Core.Tests.Bundle;

/// <summary>
/// Every file a build reads, damaged: real files (the released CompOFA bundle, the sample's constraints.json, a
/// subnet.json and a device latency table the writers made) with a few seeded random edits each — bytes replaced, cut out or inserted (JSON
/// punctuation, digits, huge and negative numbers), the file truncated — read by the file's reader, which must
/// either accept the result or throw a <see cref="SubnetGenException"/> (a coded error with a fix), never another
/// exception. Edits fall mostly in the first 4 KB, where every format keeps its header.
/// </summary>
public sealed class MutatedFilesTests : IDisposable
{
    private readonly string _bundle = ReleasedBundle.Extract(ReleasedBundle.CompOfa);

    public void Dispose() => Directory.Delete(_bundle, recursive: true);

    public static TheoryData<string> Files() => new()
    {
        "supernet.json", "predictor.json", "promise.json", "calibration.bin", "bnstats.safetensors", "weights.safetensors",
        "constraints.json", "subnet.json", "latency table",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_damaged_file_is_read_or_refused_with_a_coded_error(string file)
    {
        var (valid, read) = Reader(file);
        read(valid); // the undamaged file reads
        var random = new Random(file.Length * 7919 + file[0]);
        int tries = valid.Length > 1_000_000 ? 200 : 2000;
        var failures = new List<string>();
        for (int i = 0; i < tries && failures.Count < 3; i++)
        {
            byte[] damaged = Damage(valid, random, out string edits);
            try { read(damaged); }
            catch (SubnetGenException) { }
            catch (Exception e) { failures.Add($"{edits}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}"); }
        }
        Assert.True(failures.Count == 0, $"{file}: a damaged copy threw something other than a coded error:\n" + string.Join("\n\n", failures));
    }

    private (byte[] Valid, Action<byte[]> Read) Reader(string file)
    {
        string path = Path.Combine(_bundle, file);
        var spec = SupernetManifest.Read(Path.Combine(_bundle, "supernet.json")).Spec;
        return file switch
        {
            "supernet.json" => (File.ReadAllBytes(path), b => SupernetManifest.Parse(b, file)),
            "predictor.json" => (File.ReadAllBytes(path), b => PredictorFile.Parse(b, file)),
            "promise.json" => (File.ReadAllBytes(path), b => PromiseFile.Parse(b, file, spec)),
            "calibration.bin" => (File.ReadAllBytes(path), b => CalibrationSet.Parse(b, file)),
            "bnstats.safetensors" => (File.ReadAllBytes(path), b => BatchNormStatisticsFile.Parse(b, file, spec)),
            "weights.safetensors" => (File.ReadAllBytes(path), b => Safetensors.Read(b, file)),
            "constraints.json" => (File.ReadAllBytes(Path.Combine(RepoRoot.Path, "sample-app", "constraints.json")), b => ConstraintsReader.Parse(Encoding.UTF8.GetString(b), file)),
            "subnet.json" => (SubnetJson(), b => SubnetArtifact.Parse(b, file)),
            "latency table" => (LatencyTable(), b => DeviceLatencyTable.Parse(Encoding.UTF8.GetString(b), file)),
            _ => throw new ArgumentException(file),
        };
    }

    /// <summary>The largest subnet of a test OFA supernet, the subject of the written subnet.json and latency table.</summary>
    private static (SupernetBundle Bundle, ExtractedSubnet Subnet) Largest()
    {
        var bundle = SubnetExtractorTests.Bundle(Family.Ofa);
        return (bundle, SubnetExtractor.Extract(bundle, bundle.Spec.Space.Largest(bundle.Spec.Stages.Count)));
    }

    private static byte[] SubnetJson()
    {
        var (bundle, subnet) = Largest();
        return SubnetArtifact.Create("Model", null, bundle.Manifest, "default", subnet, ArenaPlan.Create(subnet.Graph),
            ArtifactMetrics.From(CostModel.Measure(subnet.Graph), 0.9, 1.0)).ToJson();
    }

    private static byte[] LatencyTable()
    {
        var graph = Largest().Subnet.Graph;
        var entries = graph.Layers.Select(l => LayerKey.For(graph, l).ToString()).Distinct().ToDictionary(k => k, k => 1.0 + k.Length % 7);
        var table = new DeviceLatencyTable("test device", new LatencyMeasurement("subnetgen profile 0.1.0", "SubnetGen.Runtime 0.1.0 / .NET 10", 1, 200), entries)
            .WithWholeModel(new WholeModelCalibration(1.1, 8));
        return Encoding.UTF8.GetBytes(table.ToJson());
    }

    private static byte[] Damage(byte[] valid, Random random, out string edits)
    {
        const string Punctuation = "0123456789-.eE\"{}[],:nt";
        var bytes = new List<byte>(valid);
        var log = new StringBuilder();
        int count = 1 + random.Next(4);
        for (int k = 0; k < count && bytes.Count > 0; k++)
        {
            int at = random.Next(random.Next(4) == 0 ? bytes.Count : Math.Min(bytes.Count, 4096));
            switch (random.Next(6))
            {
                case 0: bytes[at] = (byte)random.Next(256); log.Append($"byte {at} = {bytes[at]}; "); break;
                case 1: int n = Math.Min(bytes.Count - at, 1 + random.Next(8)); bytes.RemoveRange(at, n); log.Append($"cut {n} at {at}; "); break;
                case 2: bytes.Insert(at, (byte)Punctuation[random.Next(Punctuation.Length)]); log.Append($"insert '{(char)bytes[at]}' at {at}; "); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); log.Append($"truncate at {at}; "); break;
                case 4: bytes[at] = (byte)('0' + random.Next(10)); log.Append($"digit {(char)bytes[at]} at {at}; "); break;
                default:
                    string number = random.Next(2) == 0 ? "99999999999" : "-1";
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(number));
                    log.Append($"insert {number} at {at}; ");
                    break;
            }
        }
        edits = log.ToString().TrimEnd(' ', ';');
        return bytes.ToArray();
    }
}
