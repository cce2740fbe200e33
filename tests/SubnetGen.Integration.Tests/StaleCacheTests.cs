using System;
using System.IO;
using System.Linq;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// Retraining and packing again must never let a build use a stale package. NuGet keeps a version in the global
/// packages folder for good, so a supernet packed again under the same id and version (a second training run, a fresh
/// feed) used to be ignored at build time without a word. Real feeds, real `dotnet build`s, one consumer.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class StaleCacheTests
{
    private const string Id = "SubnetGen.Supernet.StaleCheck.CompOFA";

    private readonly PackedFeedFixture _feed;

    public StaleCacheTests(PackedFeedFixture feed) => _feed = feed;

    private string Pack(string feed, string version, int seed) => RandomSupernetPackage.Pack(_feed, feed, Id, version, seed);

    private static string ErrorLine(ProcessResult build, string code) =>
        build.Output.Split('\n').FirstOrDefault(l => l.Contains("error " + code, StringComparison.Ordinal)) ?? "";

    [Fact]
    public void A_supernet_repacked_under_a_cached_version_stops_the_build_until_it_gets_a_new_version_or_the_cache_is_cleared()
    {
        var (_, largestPeak) = TestSupernetCosts.PeakMemoryRange();
        string budget = $$"""{ "maxPeakMemoryKB": {{TestSupernetCosts.KilobytesAtLeast(largestPeak)}} }""";
        string firstFeed = Path.Combine(_feed.Root, "stale-feed-1"), secondFeed = Path.Combine(_feed.Root, "stale-feed-2");
        var app = new ConsumerProject(_feed, "stale-cache", ConsumerProject.Constraints(budget, version: "1.0.0", id: Id));
        string weights = Path.Combine(app.ArtifactDirectory, ConsumerProject.ModelName + ".weights.bin");
        string cached = Path.Combine(_feed.Packages, Id.ToLowerInvariant(), "1.0.0");

        // 1. The first training run, packed as 1.0.0: the build installs it into the global packages folder.
        Pack(firstFeed, "1.0.0", seed: 1);
        app.WriteNuGetConfig(firstFeed, Id);
        var first = app.Build();
        Assert.True(first.ExitCode == 0, BuildOutput.Excerpt(first));
        Assert.Contains($"({Id} 1.0.0, 243 subnets", first.Output, StringComparison.Ordinal);
        byte[] firstWeights = File.ReadAllBytes(weights);
        Assert.True(Directory.Exists(cached), "the build should have installed the package into " + cached);

        // 2. A second run on changed data, packed again as 1.0.0 into a fresh feed that nuget.config now names. The cache
        //    still holds the first run's 1.0.0: before, the build quietly generated the first run's model from it.
        string repacked = Pack(secondFeed, "1.0.0", seed: 2);
        app.WriteNuGetConfig(secondFeed, Id);
        var stale = app.Build();
        Assert.True(stale.ExitCode != 0, "the build must not use the cached package:\n" + BuildOutput.Excerpt(stale));
        string error = ErrorLine(stale, DiagnosticCodes.CachedPackageDiffersFromFeed);
        Assert.True(error.Length > 0, BuildOutput.Excerpt(stale));
        Assert.Contains($"{Id} 1.0.0 in the global packages folder ({cached}) is not the package extra-feed has under that id and version ({repacked};", error, StringComparison.Ordinal);
        Assert.Contains("pack the new supernet under a new version and name it in constraints.json", error, StringComparison.Ordinal);
        Assert.Contains($"delete {cached} and build again", error, StringComparison.Ordinal);
        Assert.Matches(@"constraints\.json\(\d+,\d+\): error SNG2017", error);
        Assert.False(File.Exists(weights), "no artifact of the stale package may be left for the compiler");

        // 3. The fix that keeps the cache: a new (prerelease, as `subnetgen-train run` makes one) version, named exactly.
        const string unique = "1.0.0-20261204060503";
        Pack(secondFeed, unique, seed: 2);
        app.WriteConstraints(ConsumerProject.Constraints(budget, version: unique, id: Id));
        var renamed = app.Build();
        Assert.True(renamed.ExitCode == 0, BuildOutput.Excerpt(renamed));
        Assert.Contains($"({Id} {unique}, 243 subnets", renamed.Output, StringComparison.Ordinal);
        byte[] secondWeights = File.ReadAllBytes(weights);
        Assert.False(firstWeights.AsSpan().SequenceEqual(secondWeights), "the second run's supernet should give other weights");

        // 4. The other fix: delete the cached 1.0.0, and the build installs the feed's 1.0.0, i.e. the second run's weights.
        Directory.Delete(cached, recursive: true);
        app.WriteConstraints(ConsumerProject.Constraints(budget, version: "1.0.0", id: Id));
        var cleared = app.Build();
        Assert.True(cleared.ExitCode == 0, BuildOutput.Excerpt(cleared));
        Assert.True(secondWeights.AsSpan().SequenceEqual(File.ReadAllBytes(weights)), "the build should now use the feed's 1.0.0 (the second run's)");

        // The feed file and nuget.config the build now depends on keep a no-op build a no-op.
        var noOp = app.Build("-v:n");
        Assert.True(noOp.ExitCode == 0, BuildOutput.Excerpt(noOp));
        Assert.Contains("Skipping target \"SubnetGenGenerate\" because all output files are up-to-date", noOp.Output, StringComparison.Ordinal);

        // 5. Repacked in place (the feed's 1.0.0 replaced, nothing else touched): the build notices the feed's file changed,
        //    reruns the search and refuses the cached copy again.
        File.Delete(repacked);
        Assert.Equal(repacked, Pack(secondFeed, "1.0.0", seed: 3));
        var inPlace = app.Build();
        Assert.True(inPlace.ExitCode != 0, "a repacked feed package must rerun the check:\n" + BuildOutput.Excerpt(inPlace));
        Assert.Contains($"({repacked};", ErrorLine(inPlace, DiagnosticCodes.CachedPackageDiffersFromFeed), StringComparison.Ordinal);
    }
}
