using System;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Pipeline;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// A build server that pins its supernet (constraints.json's <c>sha512</c>, written by <c>subnetgen pin</c>) gets
/// those bytes or a stopped build, wherever the package comes from: here a fresh machine (no cached copy) whose feed
/// serves another package under the pinned version. Real feeds, the real CLI, real `dotnet build`s.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PinnedSupernetTests
{
    private const string Id = "SubnetGen.Supernet.PinCheck.CompOFA";

    private readonly PackedFeedFixture _feed;

    public PinnedSupernetTests(PackedFeedFixture feed) => _feed = feed;

    private string Pack(string feed, int seed) => RandomSupernetPackage.Pack(_feed, feed, Id, "1.0.0", seed);

    private ProcessResult Pin(ConsumerProject app) => ProcessRunner.Run("dotnet",
        new[] { Path.Combine(AppContext.BaseDirectory, "subnetgen.dll"), "pin", "--constraints", app.ConstraintsPath },
        app.Directory, _feed.Environment);

    [Fact]
    public void A_pinned_supernet_builds_only_from_the_pinned_bytes_and_pin_takes_new_ones_on_purpose()
    {
        var (_, largestPeak) = TestSupernetCosts.PeakMemoryRange();
        string budget = $$"""{ "maxPeakMemoryKB": {{TestSupernetCosts.KilobytesAtLeast(largestPeak)}} }""";
        string firstFeed = Path.Combine(_feed.Root, "pin-feed-1"), secondFeed = Path.Combine(_feed.Root, "pin-feed-2");
        var app = new ConsumerProject(_feed, "pinned", ConsumerProject.Constraints(budget, version: "1.0.0", id: Id));
        string weights = Path.Combine(app.ArtifactDirectory, ConsumerProject.ModelName + ".weights.bin");
        string cached = Path.Combine(_feed.Packages, Id.ToLowerInvariant(), "1.0.0");

        // 1. `subnetgen pin` resolves the package as a build would and writes its SHA-512 beside the version.
        string first = Pack(firstFeed, seed: 1);
        string firstHash = PackageHash.Sha512(first);
        app.WriteNuGetConfig(firstFeed, Id);
        var pin = Pin(app);
        Assert.True(pin.ExitCode == 0, BuildOutput.Excerpt(pin));
        Assert.Contains($"{ConsumerProject.ModelName}: {Id} 1.0.0 sha512 {firstHash} (pinned)", pin.Output, StringComparison.Ordinal);
        string pinned = File.ReadAllText(app.ConstraintsPath);
        Assert.Contains($"\"version\": \"1.0.0\", \"sha512\": \"{firstHash}\" }}", pinned, StringComparison.Ordinal);
        var build = app.Build();
        Assert.True(build.ExitCode == 0, BuildOutput.Excerpt(build));
        byte[] firstWeights = File.ReadAllBytes(weights);

        // 2. Another machine: nothing cached, and its feed has another package under 1.0.0 (a second run packed again,
        //    a feed someone replaced). Without the pin it would build from those bytes; with it, the build stops at the pin.
        Directory.Delete(cached, recursive: true);
        string second = Pack(secondFeed, seed: 2);
        string secondHash = PackageHash.Sha512(second);
        Assert.NotEqual(firstHash, secondHash);
        app.WriteNuGetConfig(secondFeed, Id);
        var refused = app.Build();
        Assert.True(refused.ExitCode != 0, "a package with other bytes than the pin must stop the build:\n" + BuildOutput.Excerpt(refused));
        string error = refused.Output.Split('\n').FirstOrDefault(l => l.Contains("error " + DiagnosticCodes.SupernetHashMismatch, StringComparison.Ordinal)) ?? "";
        Assert.True(error.Length > 0, BuildOutput.Excerpt(refused));
        Assert.Contains($"downloaded from {secondFeed}) has SHA-512 {secondHash}, but constraints.json pins {firstHash}", error, StringComparison.Ordinal);
        Assert.Contains($"set \"sha512\": \"{secondHash}\"", error, StringComparison.Ordinal);
        var (line, column) = Position(pinned, firstHash);
        Assert.Contains($"constraints.json({line},{column}): error SNG2018", error, StringComparison.Ordinal);
        Assert.False(File.Exists(weights), "no artifact of the refused package may be left for the compiler");

        // 3. Taking the new package on purpose: pin again, and the build uses it.
        var repin = Pin(app);
        Assert.True(repin.ExitCode == 0, BuildOutput.Excerpt(repin));
        Assert.Contains($"sha512 {secondHash} (pin replaced)", repin.Output, StringComparison.Ordinal);
        Assert.Equal(pinned.Replace(firstHash, secondHash, StringComparison.Ordinal), File.ReadAllText(app.ConstraintsPath));
        var rebuilt = app.Build();
        Assert.True(rebuilt.ExitCode == 0, BuildOutput.Excerpt(rebuilt));
        Assert.False(firstWeights.AsSpan().SequenceEqual(File.ReadAllBytes(weights)), "the build should now use the second package");
    }

    /// <summary>1-based line and column of the string literal holding <paramref name="value"/>, as MSBuild prints a diagnostic's position.</summary>
    private static (int Line, int Column) Position(string text, string value)
    {
        int index = text.IndexOf("\"" + value + "\"", StringComparison.Ordinal);
        string before = text.Substring(0, index);
        int lineStart = before.LastIndexOf('\n') + 1;
        return (before.Count(c => c == '\n') + 1, index - lineStart + 1);
    }
}
