using System.IO;
using System.Linq;
using System.Text.Json;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// Real `dotnet build` / `dotnet run` of fresh apps that reference the packed SubnetGen package.
/// Slow by nature (each build restores and compiles), so each test walks several steps of one project.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class EndToEndTests
{
    private readonly PackedFeedFixture _feed;

    public EndToEndTests(PackedFeedFixture feed) => _feed = feed;

    [Fact]
    public void Pack_puts_the_packages_into_the_feed()
    {
        Assert.Contains("SubnetGen.0.1.0.nupkg", _feed.PackageFiles);
        Assert.Contains("SubnetGen.Runtime.0.1.0.nupkg", _feed.PackageFiles);
        Assert.Contains("SubnetGen.Cli.0.1.0.nupkg", _feed.PackageFiles);
        // --no-trainer: the trainer's package (libtorch, 120 MB) is packed by hand, not for every test run.
        Assert.DoesNotContain(_feed.PackageFiles, f => f.StartsWith("SubnetGen.Trainer", System.StringComparison.Ordinal));
        Assert.Contains(ConsumerProject.SupernetId + "." + ConsumerProject.SupernetVersion + ".nupkg", _feed.PackageFiles);
    }

    [Fact]
    public void The_SubnetGen_package_ships_the_pipeline_beside_the_task()
    {
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(_feed.Feed, "SubnetGen.0.1.0.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("tasks/net8.0/SubnetGen.Tasks.dll", entries);
        Assert.Contains("tasks/net8.0/SubnetGen.Pipeline.dll", entries);
        Assert.Contains("tasks/net8.0/NuGet.Protocol.dll", entries);
    }

    [Fact]
    public void Build_runs_and_rebuilds_only_when_the_constraints_change()
    {
        var (smallestPeak, largestPeak) = TestSupernetCosts.PeakMemoryRange();
        Assert.True(smallestPeak < largestPeak, "the supernet's subnets should differ in peak memory");
        long looseKb = TestSupernetCosts.KilobytesAtLeast(largestPeak);
        var app = new ConsumerProject(_feed, "build-run-rebuild",
            ConsumerProject.Constraints($$"""{ "maxPeakMemoryKB": {{looseKb}} }"""));

        // 1. First build: the task runs in the SDK's MSBuild, from the package, with its own NuGet.Protocol.
        var first = app.Build("-v:d");
        Assert.True(first.ExitCode == 0, BuildOutput.Excerpt(first));
        string? loose = BuildOutput.ChosenArchitecture(first);
        Assert.True(loose is not null, "no summary line:\n" + BuildOutput.Excerpt(first));
        Assert.Contains($"≤ {looseKb} KB", first.Output);
        // The released package ships promise.json: the build promises the held-out accuracy with its interval.
        Assert.Matches(@"predicted accuracy \d+\.\d % \(95 % interval \d+\.\d–\d+\.\d %, 2,000 held-out images\)", first.Output);
        string taskFolder = Path.Combine(_feed.Packages, "subnetgen", "0.1.0", "tasks", "net8.0");
        Assert.True(first.Output.Contains("SubnetGen task: NuGet.Protocol 7.9.0.0 from " + Path.Combine(taskFolder, "NuGet.Protocol.dll")),
            "the task should load the NuGet.Protocol shipped beside it:\n" + string.Join("\n", first.Output.Split('\n').Where(l => l.Contains("SubnetGen task:"))));
        Assert.True(File.Exists(Path.Combine(app.ArtifactDirectory, "FashionClassifier.subnet.json")));
        Assert.True(File.Exists(Path.Combine(app.ArtifactDirectory, "FashionClassifier.weights.bin")));
        string report = File.ReadAllText(Path.Combine(app.ArtifactDirectory, "FashionClassifier.pareto.md"));
        Assert.Contains("**chosen**", report);
        Assert.Contains(loose!.Replace("|", "\\|"), report);
        // The JSON and the page beside the report, and the summary line says where the page is.
        using (var fronts = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.ArtifactDirectory, "FashionClassifier.pareto.json"))))
            Assert.Equal(loose, fronts.RootElement.GetProperty("pick").GetProperty("config").GetString());
        string page = Path.Combine(app.ArtifactDirectory, "FashionClassifier.pareto.html");
        Assert.Contains("<svg ", File.ReadAllText(page));
        Assert.Contains("; front: " + page, first.Output);

        // 2. The generated class runs: it prints its architecture and one prediction per image.
        var run = app.Run();
        Assert.True(run.ExitCode == 0, BuildOutput.Excerpt(run));
        Assert.Contains("architecture  " + loose, run.Output);
        var predictions = run.Output.Split('\n').Where(l => l.Contains(" predicted ") && l.Contains(" true ")).ToList();
        Assert.True(predictions.Count == 4, "expected one prediction per image:\n" + run.Output);
        Assert.Contains(predictions, l => l.Contains("true Ankle boot"));
        // A trained supernet: the largest-fitting subnet gets (nearly) all of the sample's images right.
        Assert.True(predictions.Count(l => l.TrimEnd().EndsWith("✓", System.StringComparison.Ordinal)) >= 3,
            "the trained model should classify at least 3 of the 4 images correctly:\n" + run.Output);

        // 3. Nothing changed: the search target and the compiler are skipped.
        var noOp = app.Build("-v:n");
        Assert.True(noOp.ExitCode == 0, BuildOutput.Excerpt(noOp));
        Assert.Contains("Skipping target \"SubnetGenGenerate\" because all output files are up-to-date", noOp.Output);
        Assert.Contains("Skipping target \"CoreCompile\" because all output files are up-to-date", noOp.Output);
        Assert.Null(BuildOutput.ChosenArchitecture(noOp));

        // 4. A tighter budget in constraints.json: the search runs again and picks a smaller subnet that fits.
        long tightKb = TestSupernetCosts.KilobytesAtLeast(smallestPeak);
        app.WriteConstraints(ConsumerProject.Constraints($$"""{ "maxPeakMemoryKB": {{tightKb}} }"""));
        var tight = app.Build();
        Assert.True(tight.ExitCode == 0, BuildOutput.Excerpt(tight));
        string? tighter = BuildOutput.ChosenArchitecture(tight);
        Assert.True(tighter is not null, "the edited constraints should rerun the search:\n" + BuildOutput.Excerpt(tight));
        Assert.NotEqual(loose, tighter);
        using (var artifact = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.ArtifactDirectory, "FashionClassifier.subnet.json"))))
        {
            Assert.Equal(tighter, artifact.RootElement.GetProperty("architecture").GetString());
            long peak = artifact.RootElement.GetProperty("metrics").GetProperty("peakMemoryBytes").GetInt64();
            Assert.True(peak <= tightKb * 1024, $"peak {peak} B exceeds the {tightKb} KB budget");
        }
        var rerun = app.Run();
        Assert.True(rerun.ExitCode == 0, BuildOutput.Excerpt(rerun));
        Assert.Contains("architecture  " + tighter, rerun.Output);

        // 5. `subnetgen search` on the same constraints runs the build's pipeline: the same pick, and with --output the same files.
        string searched = Path.Combine(app.Directory, "searched");
        var search = Search(app, "--output", searched);
        Assert.True(search.ExitCode == 0, BuildOutput.Excerpt(search));
        Assert.Equal(tighter, BuildOutput.ChosenArchitecture(search));
        Assert.Contains("BN statistics: ", search.Output);
        foreach (var file in new[] { "FashionClassifier.subnet.json", "FashionClassifier.weights.bin", "FashionClassifier.pareto.md", "FashionClassifier.pareto.json", "FashionClassifier.pareto.html" })
            Assert.True(File.ReadAllBytes(Path.Combine(app.ArtifactDirectory, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(searched, file))),
                file + " written by subnetgen search --output differs from the build's");
    }

    private ProcessResult Search(ConsumerProject app, params string[] options) => ProcessRunner.Run("dotnet",
        new[] { Path.Combine(System.AppContext.BaseDirectory, "subnetgen.dll"), "search", "--constraints", app.ConstraintsPath }.Concat(options),
        app.Directory, _feed.Environment);

    /// <summary>
    /// The released OFA supernet ships no per-config BN statistics (its space has 2·10¹⁹ subnets), so the task
    /// recalibrates the chosen subnet on the package's calibration images inside MSBuild, with SubnetGen.Runtime's
    /// kernels loaded from the task folder; the generated model then classifies the sample images.
    /// </summary>
    [Fact]
    public void An_OFA_supernet_is_recalibrated_at_build_time_and_classifies()
    {
        var app = new ConsumerProject(_feed, "ofa",
            ConsumerProject.Constraints("""{ "maxPeakMemoryKB": 300, "maxWeightsKB": 3072 }""", ConsumerProject.OfaSupernetVersion, ConsumerProject.OfaSupernetId));
        var build = app.Build("-v:n");
        Assert.True(build.ExitCode == 0, BuildOutput.Excerpt(build));
        Assert.Contains("BN statistics: recalibrated by Core on 1,000 calibration images in ", build.Output);
        Assert.Contains(ConsumerProject.OfaSupernetId + " " + ConsumerProject.OfaSupernetVersion, build.Output);

        var run = app.Run();
        Assert.True(run.ExitCode == 0, BuildOutput.Excerpt(run));
        var predictions = run.Output.Split('\n').Where(l => l.Contains(" predicted ") && l.Contains(" true ")).ToList();
        Assert.True(predictions.Count == 4, "expected one prediction per image:\n" + run.Output);
        Assert.True(predictions.Count(l => l.TrimEnd().EndsWith("✓", System.StringComparison.Ordinal)) >= 3,
            "the recalibrated OFA subnet should classify at least 3 of the 4 images correctly:\n" + run.Output);
    }

    [Fact]
    public void Another_target_is_chosen_with_SubnetGenTarget()
    {
        var (smallestPeak, largestPeak) = TestSupernetCosts.PeakMemoryRange();
        var app = new ConsumerProject(_feed, "targets", $$"""
            {
              "models": [{
                "name": "{{ConsumerProject.ModelName}}",
                "supernet": { "id": "{{ConsumerProject.SupernetId}}", "version": "{{ConsumerProject.SupernetVersion}}" },
                "targets": {
                  "default": { "maxPeakMemoryKB": {{TestSupernetCosts.KilobytesAtLeast(largestPeak)}} },
                  "tiny": { "maxPeakMemoryKB": {{TestSupernetCosts.KilobytesAtLeast(smallestPeak)}} }
                }
              }]
            }
            """);
        var byDefault = app.Build();
        Assert.True(byDefault.ExitCode == 0, BuildOutput.Excerpt(byDefault));
        var tiny = app.Build("-p:SubnetGenTarget=tiny");
        Assert.True(tiny.ExitCode == 0, BuildOutput.Excerpt(tiny));
        Assert.Contains("[tiny]", tiny.Output);
        Assert.NotEqual(BuildOutput.ChosenArchitecture(byDefault), BuildOutput.ChosenArchitecture(tiny));

        var unknown = app.Build("-p:SubnetGenTarget=Tiny");
        Assert.True(unknown.ExitCode != 0, BuildOutput.Excerpt(unknown));
        Assert.Contains("error " + DiagnosticCodes.ConstraintsUnknownTarget, unknown.Output);
    }

    [Fact]
    public void Malformed_constraints_fail_with_the_code_file_and_line()
    {
        string text = ConsumerProject.Constraints("""{ "maxPeakMemoryKB": 256 }""")
            .Replace($"\"version\": \"{ConsumerProject.SupernetVersion}\" }}", $"\"version\": \"{ConsumerProject.SupernetVersion}\" }} BROKEN");
        int line = text.Split('\n').TakeWhile(l => !l.Contains("BROKEN")).Count() + 1;
        var app = new ConsumerProject(_feed, "malformed", text);

        var build = app.Build();
        Assert.True(build.ExitCode != 0, BuildOutput.Excerpt(build));
        Assert.Contains($"constraints.json({line},", build.Output);
        Assert.Contains("error " + DiagnosticCodes.ConstraintsInvalidJson + ":", build.Output);
        Assert.Null(BuildOutput.ChosenArchitecture(build));
    }

    [Fact]
    public void A_budget_nothing_meets_fails_naming_the_closest_subnet()
    {
        string text = ConsumerProject.Constraints("""{ "maxPeakMemoryKB": 1 }""");
        int line = text.Split('\n').TakeWhile(l => !l.Contains("\"default\"")).Count() + 1;
        var app = new ConsumerProject(_feed, "unsatisfiable", text);

        var build = app.Build();
        Assert.True(build.ExitCode != 0, BuildOutput.Excerpt(build));
        string error = build.Output.Split('\n').FirstOrDefault(l => l.Contains("error " + DiagnosticCodes.NoSubnetFitsBudget)) ?? "";
        Assert.True(error.Length > 0, BuildOutput.Excerpt(build));
        Assert.Contains($"constraints.json({line},", error);
        Assert.Matches(@"Closest: k\d+e\d+", error);
        Assert.Contains("maxPeakMemoryKB", error);

        // `subnetgen search` reports the same diagnostic at the same place in constraints.json, and fails.
        var search = Search(app);
        Assert.True(search.ExitCode == 1, BuildOutput.Excerpt(search));
        string cliError = search.Output.Split('\n').FirstOrDefault(l => l.Contains("error " + DiagnosticCodes.NoSubnetFitsBudget))?.TrimEnd() ?? "";
        Assert.StartsWith($"{app.ConstraintsPath}({line},", cliError);
        Assert.Contains(cliError, build.Output);
    }

    [Fact]
    public void A_missing_supernet_version_fails_naming_the_package_and_the_sources()
    {
        var app = new ConsumerProject(_feed, "missing-version", ConsumerProject.Constraints("""{ "maxPeakMemoryKB": 256 }""", version: "9.9.9"));

        var build = app.Build();
        Assert.True(build.ExitCode != 0, BuildOutput.Excerpt(build));
        string error = build.Output.Split('\n').FirstOrDefault(l => l.Contains("error " + DiagnosticCodes.SupernetVersionNotFound)) ?? "";
        Assert.True(error.Length > 0, BuildOutput.Excerpt(build));
        Assert.Contains(ConsumerProject.SupernetId, error);
        Assert.Contains("9.9.9", error);
        Assert.Contains(_feed.Feed, error);
        Assert.Contains("Available: " + ConsumerProject.SupernetVersion, error);
        Assert.Matches(@"constraints\.json\(\d+,\d+\)", error);

        // `subnetgen search` resolves the package the same way and fails the same way.
        var search = Search(app);
        Assert.True(search.ExitCode == 1, BuildOutput.Excerpt(search));
        string cliError = search.Output.Split('\n').FirstOrDefault(l => l.Contains("error " + DiagnosticCodes.SupernetVersionNotFound))?.TrimEnd() ?? "";
        Assert.True(cliError.Length > 0, BuildOutput.Excerpt(search));
        Assert.Contains(cliError, build.Output);
    }
}
