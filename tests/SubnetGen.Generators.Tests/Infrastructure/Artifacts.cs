using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;

namespace SubnetGen.Generators.Tests.Infrastructure;

/// <summary>Real subnet artifacts, made the way the build task makes them: random supernet → extract → Core's writer.</summary>
internal static class Artifacts
{
    public static readonly string[] FashionLabels =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    public const double PredictedAccuracy = 0.8765;

    private static readonly ConcurrentDictionary<Family, SupernetBundle> s_bundles = new();
    private static readonly Lazy<Built> s_small = new(() => Build(Family.CompOfa, Smallest(Family.CompOfa)));

    /// <summary>An artifact with its extracted weights.</summary>
    public sealed record Built(SubnetArtifact Artifact, ExtractedSubnet Subnet, SubnetCost Cost)
    {
        public string Json => Encoding.UTF8.GetString(Artifact.ToJson());
        public byte[] WeightBytes => Subnet.Weights.SelectMany(BitConverter.GetBytes).ToArray();
    }

    /// <summary>The smallest CompOFA subnet as FashionClassifier: the fixture most tests share.</summary>
    public static Built Small => s_small.Value;

    public static SupernetBundle Bundle(Family family) =>
        s_bundles.GetOrAdd(family, f => RandomSupernet.Create(DefaultSupernets.FashionMnist(f), "SubnetGen.Supernet.Test." + f, "1.0.0", seed: 42, FashionLabels));

    public static SubnetConfig Smallest(Family family) => DefaultSupernets.FashionMnist(family).Space.Smallest(5);

    public static SubnetConfig Largest(Family family) => DefaultSupernets.FashionMnist(family).Space.Largest(5);

    /// <summary>A config drawn uniformly per stage from the family's choices.</summary>
    public static SubnetConfig RandomConfig(Family family, Random random)
    {
        var space = DefaultSupernets.FashionMnist(family).Space;
        var stages = new List<IReadOnlyList<BlockConfig>>();
        for (int s = 0; s < 5; s++)
        {
            var choices = space.StageChoices(s);
            stages.Add(choices[random.Next(choices.Count)]);
        }
        return new SubnetConfig(stages);
    }

    public static Built Build(Family family, SubnetConfig config, string name = "FashionClassifier", string? @namespace = null) =>
        Build(Bundle(family), config, name, @namespace);

    /// <summary>A random CompOFA supernet for another input geometry (height × width × channels), e.g. RGB or non-square.</summary>
    public static SupernetBundle Bundle(InputSpec input) =>
        s_inputBundles.GetOrAdd(input.Height + "x" + input.Width + "x" + input.Channels, _ =>
            RandomSupernet.Create(DefaultSupernets.FashionMnist(Family.CompOfa) with { Input = input },
                "SubnetGen.Supernet.Test.Input" + input.Channels, "1.0.0", seed: 43, FashionLabels));

    private static readonly ConcurrentDictionary<string, SupernetBundle> s_inputBundles = new();

    public static Built Build(SupernetBundle bundle, SubnetConfig config, string name = "FashionClassifier", string? @namespace = null)
    {
        var subnet = SubnetExtractor.Extract(bundle, config);
        var cost = CostModel.Measure(subnet.Graph);
        var metrics = new ArtifactMetrics(PredictedAccuracy, cost.Macs, cost.Parameters, cost.WeightBytes, cost.PeakMemoryBytes, cost.MoofaPeakElements, null);
        var artifact = SubnetArtifact.Create(name, @namespace, bundle.Manifest, "default", subnet, cost.Arena, metrics);
        return new Built(artifact, subnet, cost);
    }

    /// <summary>The small artifact's JSON after <paramref name="edit"/> (for the diagnostics tests).</summary>
    public static string Edited(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(Small.Json)!.AsObject();
        edit(root);
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The first layer with op <paramref name="op"/> in an artifact being edited.</summary>
    public static JsonObject Layer(JsonObject root, string op) =>
        root["layers"]!.AsArray().Select(l => l!.AsObject()).First(l => (string?)l["op"] == op);
}
