using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

using SubnetGen.TestSupport;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// A fresh app in its own temp folder that uses SubnetGen the way a developer would: a nuget.config with
/// the packed feed (SubnetGen* mapped to it, everything else to nuget.org), a PackageReference, a
/// constraints.json, and a Program that classifies the sample's Fashion-MNIST images.
/// </summary>
public sealed class ConsumerProject
{
    public const string ModelName = "FashionClassifier";
    /// <summary>The trained CompOFA supernet released in the repository's feed/ (build/pack.sh copies it into the test feed).</summary>
    public const string SupernetId = ReleasedBundle.CompOfaId;
    public const string SupernetVersion = ReleasedBundle.CompOfaVersion;
    /// <summary>The trained OFA supernet released in feed/: no bnstats.safetensors, so builds recalibrate BN.</summary>
    public const string OfaSupernetId = ReleasedBundle.OfaId;
    public const string OfaSupernetVersion = ReleasedBundle.OfaVersion;

    private readonly PackedFeedFixture _feed;

    public ConsumerProject(PackedFeedFixture feed, string name, string constraintsJson)
    {
        _feed = feed;
        Directory = Path.Combine(feed.Root, name);
        System.IO.Directory.CreateDirectory(Directory);
        WriteNuGetConfig();
        File.WriteAllText(Path.Combine(Directory, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RootNamespace>SampleApp</RootNamespace>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SubnetGen" Version="0.1.0" />
                <None Include="images/*.pgm" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);
        // The sample app's own image reader and program (namespace SampleApp, hence the RootNamespace), so this test also keeps the sample honest.
        string sample = Path.Combine(feed.RepositoryRoot, "sample-app");
        foreach (var source in new[] { "PgmImage.cs", "Program.cs" })
            File.Copy(Path.Combine(sample, source), Path.Combine(Directory, source));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "images"));
        foreach (var image in System.IO.Directory.GetFiles(Path.Combine(sample, "images"), "*.pgm").OrderBy(p => p, StringComparer.Ordinal).Take(4))
            File.Copy(image, Path.Combine(Directory, "images", Path.GetFileName(image)));
        WriteConstraints(constraintsJson);
    }

    public string Directory { get; }

    public string ConstraintsPath => Path.Combine(Directory, "constraints.json");

    /// <summary>obj/Debug/net10.0/subnetgen/: where the task writes the artifacts.</summary>
    public string ArtifactDirectory => Path.Combine(Directory, "obj", "Debug", "net10.0", "subnetgen");

    public void WriteConstraints(string json) => File.WriteAllText(ConstraintsPath, json);

    /// <summary>
    /// nuget.config: the packed feed for SubnetGen and SubnetGen.*, nuget.org for the rest, and one more local feed
    /// folder for the package id <paramref name="extraFeedPattern"/> (the more specific pattern wins the mapping).
    /// </summary>
    public void WriteNuGetConfig(string? extraFeed = null, string? extraFeedPattern = null)
    {
        string source = extraFeed is null ? "" : $"""<add key="extra-feed" value="{extraFeed}" />""";
        string mapping = extraFeed is null ? "" : $"""<packageSource key="extra-feed"><package pattern="{extraFeedPattern}" /></packageSource>""";
        File.WriteAllText(Path.Combine(Directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="it-feed" value="{_feed.Feed}" />
                {source}
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="it-feed"><package pattern="SubnetGen" /><package pattern="SubnetGen.*" /></packageSource>
                {mapping}
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    /// <summary>constraints.json for one model of a released supernet (the trained CompOFA one unless <paramref name="id"/> says otherwise) with the given "default" target body.</summary>
    public static string Constraints(string defaultTarget, string version = SupernetVersion, string id = SupernetId) => $$"""
        {
          "models": [
            {
              "name": "{{ModelName}}",
              "supernet": { "id": "{{id}}", "version": "{{version}}" },
              "targets": {
                "default": {{defaultTarget}}
              }
            }
          ]
        }
        """;

    public ProcessResult Build(params string[] extra) =>
        Dotnet(new[] { "build", "--nologo", "-nodeReuse:false" }.Concat(extra));

    public ProcessResult Run(params string[] arguments) => Dotnet(new[] { "run", "--no-build", "--" }.Concat(arguments));

    /// <summary>Replaces the sample's Program.cs with <paramref name="source"/> and adds NuGet <paramref name="packages"/> the program uses.</summary>
    public void UseProgram(string source, params (string Id, string Version)[] packages)
    {
        File.WriteAllText(Path.Combine(Directory, "Program.cs"), source);
        string project = Path.Combine(Directory, "Consumer.csproj");
        string references = string.Concat(packages.Select(p => $"<PackageReference Include=\"{p.Id}\" Version=\"{p.Version}\" />"));
        File.WriteAllText(project, File.ReadAllText(project).Replace("<PackageReference Include=\"SubnetGen\" Version=\"0.1.0\" />",
            "<PackageReference Include=\"SubnetGen\" Version=\"0.1.0\" />" + references, StringComparison.Ordinal));
    }

    /// <summary>Builds the project with another MSBuild SDK, e.g. Microsoft.NET.Sdk.BlazorWebAssembly.</summary>
    public void UseSdk(string sdk)
    {
        string project = Path.Combine(Directory, "Consumer.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("<Project Sdk=\"Microsoft.NET.Sdk\">", $"<Project Sdk=\"{sdk}\">", StringComparison.Ordinal));
    }

    private ProcessResult Dotnet(IEnumerable<string> arguments) =>
        ProcessRunner.Run("dotnet", arguments, Directory, _feed.Environment, TimeSpan.FromMinutes(5));
}
