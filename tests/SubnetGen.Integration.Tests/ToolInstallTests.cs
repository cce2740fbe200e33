using System;
using System.Collections.Generic;
using System.IO;
using Xunit.Abstractions;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// `subnetgen` installed from the packed feed the two ways a user would: `dotnet tool install --tool-path` and as a local
/// tool in a tool manifest, then run. (The trainer's package is the same kind of tool with 120 MB of libtorch in it: it is
/// packed, installed and run by hand, as docs/getting-started.md records, not on every test run.)
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class ToolInstallTests
{
    private readonly PackedFeedFixture _feed;
    private readonly ITestOutputHelper _output;

    public ToolInstallTests(PackedFeedFixture feed, ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
    }

    /// <summary>A folder whose nuget.config lists no source at all: the feed comes from --add-source, as the docs say, and nothing from the network.</summary>
    private string Folder(string name)
    {
        string folder = Path.Combine(_feed.Root, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /></packageSources></configuration>
            """);
        return folder;
    }

    /// <summary>
    /// The fixture's NUGET_PACKAGES, and its own DOTNET_CLI_HOME: the dotnet CLI remembers where a local tool's id and
    /// version live in ~/.dotnet/toolResolverCache, whatever NUGET_PACKAGES is, and would go on running this test's deleted
    /// copy for the user's own 0.1.0 (and `dotnet tool restore` does not mend it).
    /// </summary>
    private IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(_feed.Environment) { ["DOTNET_CLI_HOME"] = CliHome };

    private string CliHome => Path.Combine(_feed.Root, "dotnet-cli-home");

    private ProcessResult Run(string command, IEnumerable<string> arguments, string folder)
    {
        var result = ProcessRunner.Run(command, arguments, folder, Environment, TimeSpan.FromMinutes(3));
        _output.WriteLine($"{result.Elapsed.TotalSeconds:F1} s  $ {result.Command}");
        Assert.True(result.ExitCode == 0, BuildOutput.Excerpt(result));
        return result;
    }

    [Fact]
    public void The_cli_installs_with_a_tool_path_and_runs()
    {
        string folder = Folder("tool-path");
        string tools = Path.Combine(folder, "tools");
        var install = Run("dotnet", new[] { "tool", "install", "--tool-path", tools, "--add-source", _feed.Feed, "SubnetGen.Cli", "--version", "0.1.0" }, folder);
        Assert.Contains("Tool 'subnetgen.cli' (version '0.1.0') was successfully installed.", install.Output);

        string subnetgen = Path.Combine(tools, "subnetgen");
        Assert.Contains("make-test-supernet", Run(subnetgen, new[] { "--help" }, folder).Output);

        // A real command: make a test supernet, then read it back.
        string bundle = Path.Combine(folder, "bundle");
        Run(subnetgen, new[] { "make-test-supernet", "--family", "compofa", "--dataset", "ToolTest", "--output", bundle }, folder);
        var inspect = Run(subnetgen, new[] { "inspect", bundle }, folder);
        Assert.Contains("SubnetGen.Supernet.ToolTest.CompOFA", inspect.Output);
    }

    [Fact]
    public void The_cli_installs_as_a_local_tool_in_a_manifest_and_runs()
    {
        string folder = Folder("local-tool");
        Run("dotnet", new[] { "new", "tool-manifest" }, folder);
        var install = Run("dotnet", new[] { "tool", "install", "--local", "--add-source", _feed.Feed, "SubnetGen.Cli", "--version", "0.1.0" }, folder);
        Assert.Contains("subnetgen", install.Output);
        Assert.Contains("\"subnetgen.cli\"", File.ReadAllText(Path.Combine(folder, "dotnet-tools.json")));
        // Local tools are restored into the global packages folder (the fixture's own): that is where a stale 0.1.0 would hide.
        Assert.True(Directory.Exists(Path.Combine(_feed.Packages, "subnetgen.cli", "0.1.0")));
        Assert.True(File.Exists(Path.Combine(CliHome, ".dotnet", "toolResolverCache", "1", "subnetgen.cli")), "the tool's location should be remembered under this test's DOTNET_CLI_HOME, not the user's");

        Assert.Contains("make-test-supernet", Run("dotnet", new[] { "subnetgen", "--help" }, folder).Output);
        string bundle = Path.Combine(folder, "bundle");
        Run("dotnet", new[] { "tool", "run", "subnetgen", "--", "make-test-supernet", "--output", bundle }, folder);
        Assert.Contains("SubnetGen.Supernet.Test.CompOFA", Run("dotnet", new[] { "subnetgen", "inspect", bundle }, folder).Output);
    }
}
