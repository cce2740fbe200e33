using System;
using System.Collections.Generic;
using System.IO;
using SubnetGen.TestSupport;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// A build gives the same bytes whatever the CPU's vector width: `subnetgen search -o` on the released OFA supernet,
/// whose pick's BN statistics the build recalibrates (the one place a build runs convolutions), run with the .NET
/// switches that change what the kernels' vector path is — Vector&lt;float&gt; of 16 floats where the CPU has AVX-512,
/// 4 floats without AVX2 (no fused multiply-add), no SIMD at all — writes the same weights and subnet.json as the
/// default. On a CPU without AVX-512 the 512-bit run is another default run.
/// </summary>
public sealed class SameBytesOnEveryCpuTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-same-bytes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void An_OFA_build_writes_the_same_weights_with_every_vector_width()
    {
        Directory.CreateDirectory(_folder);
        string bundle = ReleasedBundle.Extract(ReleasedBundle.Ofa);
        try
        {
            File.WriteAllText(Path.Combine(_folder, "constraints.json"),
                "{ \"models\": [ { \"name\": \"Shoes\", \"supernet\": { \"id\": \"" + ReleasedBundle.OfaId + "\", \"version\": \"" +
                ReleasedBundle.OfaVersion + "\" }, \"targets\": { \"default\": { \"maxMacs\": 8000000 } } } ] }");
            var runs = new (string Name, Dictionary<string, string> Environment)[]
            {
                ("default", new()),
                ("512-bit", new() { ["DOTNET_MaxVectorTBitWidth"] = "512" }),
                ("no-AVX2", new() { ["DOTNET_EnableAVX2"] = "0" }),
                ("scalar", new() { ["DOTNET_EnableHWIntrinsic"] = "0" }),
            };
            string dll = Path.Combine(AppContext.BaseDirectory, "subnetgen.dll");
            byte[]? weights = null, subnet = null;
            foreach (var (name, environment) in runs)
            {
                string output = Path.Combine(_folder, name);
                var result = ProcessRunner.Run("dotnet", new[] { dll, "search", "-c", "constraints.json", "-b", bundle, "-o", output },
                    _folder, environment, TimeSpan.FromMinutes(3));
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.Contains("BN statistics: recalibrated by Core on 1,000 calibration images", result.Output, StringComparison.Ordinal);
                byte[] w = File.ReadAllBytes(Path.Combine(output, "Shoes.weights.bin"));
                byte[] s = File.ReadAllBytes(Path.Combine(output, "Shoes.subnet.json"));
                weights ??= w;
                subnet ??= s;
                Assert.True(weights.AsSpan().SequenceEqual(w), $"{name}: Shoes.weights.bin differs from the default run's\n{result}");
                Assert.True(subnet.AsSpan().SequenceEqual(s), $"{name}: Shoes.subnet.json differs from the default run's\n{result}");
            }
        }
        finally
        {
            Directory.Delete(bundle, recursive: true);
        }
    }
}
