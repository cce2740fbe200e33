using System;
using System.IO;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Training;
using SubnetGen.Trainer.Commands;
using SubnetGen.Trainer.Evaluation;

namespace SubnetGen.Trainer.Tests;

public sealed class RunCommandTests
{
    [Theory]
    [InlineData("", null)]
    [InlineData("--sandwich", "largest")] // the bare flag keeps the older boolean meaning
    [InlineData("--sandwich full", "full")]
    [InlineData("--sandwich none", "none")]
    public void Sandwich_option_reads_a_rule_and_a_bare_flag_means_largest(string arguments, string? expected)
    {
        var result = RunCommand.Create().Parse(("--out x " + arguments).Trim());
        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.GetValue<string?>("--sandwich")); // null: not given, the run uses none
    }

    [Theory]
    [InlineData("", "auto")]
    [InlineData("--predictor mlp", "mlp")]
    [InlineData("--predictor linear", "linear")]
    public void Predictor_option_defaults_to_auto(string arguments, string expected)
    {
        var result = RunCommand.Create().Parse(("--out x " + arguments).Trim());
        Assert.Empty(result.Errors);
        var kind = PredictorKinds.Parse(result.GetValue<string>("--predictor")!);
        Assert.Equal(expected, PredictorKinds.Name(kind));
    }

    [Fact]
    public void Run_with_pack_refuses_a_version_the_feed_already_has_before_it_trains()
    {
        TorchRequirement.Ensure();
        string folder = Path.Combine(Path.GetTempPath(), "subnetgen-run-pack-" + Guid.NewGuid().ToString("N"));
        try
        {
            string feed = Path.Combine(folder, "feed");
            Directory.CreateDirectory(feed);
            File.WriteAllText(Path.Combine(feed, "SubnetGen.Supernet.FashionMnist.CompOFA.1.0.0.nupkg"), "an earlier package");
            var options = new TrainOptions { Family = Family.CompOfa, Data = "fashion-mnist", Output = Path.Combine(folder, "run"), Version = "1.0" };
            // Qualified: the namespace SubnetGen.Pipeline (the build's pipeline, referenced through the CLI) would win the lookup of "Pipeline".
            var error = Assert.Throws<SubnetGenException>(() => Commands.Pipeline.Run(options, new RecordingProgress(), feed));
            Assert.Equal(DiagnosticCodes.PackageVersionExists, error.Diagnostic.Code);
            Assert.Contains("could not be packed under SubnetGen.Supernet.FashionMnist.CompOFA 1.0", error.Diagnostic.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(options.Output)); // refused before anything was written
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--version 1.x", "--version 1.x is not a NuGet version: write e.g. 1.2.0.")]
    [InlineData("--resume --overwrite", "--resume continues the run in --out and --overwrite replaces it: pass one of them.")]
    public void Run_refuses_contradictory_or_malformed_options_before_it_loads_anything(string arguments, string expected)
    {
        string output = Path.Combine(Path.GetTempPath(), "subnetgen-run-refused-" + Guid.NewGuid().ToString("N"));
        var error = new StringWriter();
        var before = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(1, RunCommand.Create().Parse($"--out {output} {arguments}").Invoke());
        }
        finally
        {
            Console.SetError(before);
        }
        Assert.Equal("subnetgen-train: " + expected, error.ToString().Trim());
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Without_version_a_run_gets_one_of_its_own_that_constraints_json_accepts()
    {
        // No --version: the action fills in UniqueVersion(now) rather than a fixed 1.0.0 that a retrained run would reuse.
        Assert.Null(RunCommand.Create().Parse("--out x").GetValue<string?>("--version"));
        Assert.Equal("1.2.0", RunCommand.Create().Parse("--out x --version 1.2.0").GetValue<string?>("--version"));

        string version = RunCommand.UniqueVersion(new DateTime(2026, 12, 4, 6, 5, 3, DateTimeKind.Utc));
        Assert.Equal("1.0.0-20261204060503", version);
        var parsed = NuGet.Versioning.NuGetVersion.Parse(version);
        Assert.True(parsed.IsPrerelease);
        Assert.Equal(version, parsed.ToNormalizedString());
        Assert.True(NuGet.Versioning.NuGetVersion.Parse(RunCommand.UniqueVersion(new DateTime(2026, 12, 4, 6, 5, 4, DateTimeKind.Utc))) > parsed,
            "a later run should sort after an earlier one");

        // The snippet the run prints, pasted into constraints.json, reads without a diagnostic (SNG1021 would refuse a bad version).
        string hint = SubnetGen.Packaging.SupernetPackageInfo.ConstraintsHint("SubnetGen.Supernet.FashionMnist.CompOFA", version);
        Assert.Equal("In constraints.json: \"supernet\": { \"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\", \"version\": \"1.0.0-20261204060503\" }", hint);
        string json = "{ \"models\": [ { \"name\": \"M\", " + hint.Substring("In constraints.json: ".Length) + ", \"targets\": { \"default\": { \"maxMacs\": 1000000 } } } ] }";
        var read = SubnetGen.Core.Constraints.ConstraintsReader.Read(json, "constraints.json");
        Assert.Empty(read.Diagnostics);
        Assert.Equal(version, read.Document!.Models[0].Supernet.Version);
    }

    [Fact]
    public void An_unknown_predictor_kind_names_the_ones_there_are()
    {
        var error = Assert.Throws<ArgumentException>(() => PredictorKinds.Parse("ensemble"));
        Assert.Contains("use auto, mlp or linear", error.Message);
    }
}
