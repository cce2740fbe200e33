using System;
using TorchSharp;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// Every TorchSharp test calls <see cref="Ensure"/>: when libtorch cannot load, the test fails (never
/// skips) and says what to install.
/// </summary>
internal static class TorchRequirement
{
    private static readonly Lazy<string?> Problem = new(() =>
    {
        try
        {
            torch.set_num_threads(2);
            using var t = torch.ones(2).sum();
            return t.item<float>() == 2f ? null : "libtorch loaded but computed a wrong sum.";
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + (e.InnerException?.Message ?? e.Message);
        }
    });

    public static void Ensure()
    {
        if (Problem.Value is string problem)
            Assert.Fail("TorchSharp (libtorch 2.10) could not be loaded: " + problem +
                " It needs a libstdc++ that exports GLIBCXX_3.4.32 (GCC 13+): run `bash build/install-test-deps.sh` as root " +
                "(on Debian 12 it installs libstdc++6 from Debian 13), or install libstdc++6 >= 13 yourself.");
    }
}

public class TorchLoadsTests
{
    [Fact]
    public void TorchSharp_Loads()
    {
        TorchRequirement.Ensure();
        Assert.Equal(2, torch.get_num_threads());
    }
}
