using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Search;

namespace SubnetGen.Core.Constraints;

/// <summary>The JSON kinds constraints.json uses, for type checks and messages.</summary>
internal enum ValueKind
{
    String,
    Number,
    Integer,
    Object,
    Array,
}

/// <summary>A key constraints.json defines: where it may appear, what it holds, and a sample value for Fix texts.</summary>
internal sealed class KeySpec
{
    public KeySpec(string name, ValueKind kind, string example)
    {
        Name = name;
        Kind = kind;
        Example = example;
    }

    public string Name { get; }

    public ValueKind Kind { get; }

    /// <summary>A value as it would be written in the file, e.g. <c>2.0</c> or <c>"1.0.0"</c>.</summary>
    public string Example { get; }
}

/// <summary>An object level of constraints.json and the keys it allows.</summary>
internal sealed class KeyLevel
{
    private readonly Dictionary<string, KeySpec> _keys;

    public KeyLevel(string description, params KeySpec[] keys)
    {
        Description = description;
        Keys = keys;
        _keys = keys.ToDictionary(k => k.Name, StringComparer.Ordinal);
    }

    /// <summary>Where the level is, in words ("a target (an entry of \"targets\")").</summary>
    public string Description { get; }

    public IReadOnlyList<KeySpec> Keys { get; }

    public KeySpec? Find(string name) => _keys.TryGetValue(name, out var spec) ? spec : null;
}

/// <summary>
/// Every key of constraints.json, level by level. docs/constraints.md and the JSON Schema list the same keys. A target's
/// budget keys come from <see cref="BudgetKey"/>, their one table; this adds how each is written (JSON kind, example).
/// </summary>
internal static class ConstraintKeys
{
    public const string Schema = "$schema";
    public const string Models = "models";
    public const string Name = "name";
    public const string Namespace = "namespace";
    public const string Supernet = "supernet";
    public const string Targets = "targets";
    public const string Id = "id";
    public const string Version = "version";
    public const string Sha512 = "sha512";
    public const string LatencyTable = "latencyTable";
    public const string Minimize = "minimize";

    // Declared before the levels whose examples use it: static fields initialise in textual order.
    public static readonly KeyLevel Target = new("a target (an entry of \"targets\", such as \"default\")",
        new KeySpec(BudgetKey.MaxLatencyMs.Name, ValueKind.Number, "2.0"),
        new KeySpec(BudgetKey.MaxPeakMemoryKB.Name, ValueKind.Number, "256"),
        new KeySpec(BudgetKey.MaxWeightsKB.Name, ValueKind.Number, "1024"),
        new KeySpec(BudgetKey.MaxMacs.Name, ValueKind.Integer, "5000000"),
        new KeySpec(BudgetKey.MaxParameters.Name, ValueKind.Integer, "200000"),
        new KeySpec(BudgetKey.MinAccuracy.Name, ValueKind.Number, "0.9"),
        new KeySpec(LatencyTable, ValueKind.String, "\"devices/a53.json\""),
        new KeySpec(Minimize, ValueKind.String, "\"macs\""));

    /// <summary>A target with two budgets, for fix texts: <c>{ "maxLatencyMs": 2.0, "maxPeakMemoryKB": 256 }</c>.</summary>
    public static readonly string TargetExample = "{ " + Sample(BudgetKey.MaxLatencyMs) + ", " + Sample(BudgetKey.MaxPeakMemoryKB) + " }";

    /// <summary>A model's targets, for fix texts: <c>{ "default": { "maxLatencyMs": 2.0 } }</c>.</summary>
    public static readonly string TargetsExample = "{ \"" + ModelConstraints.DefaultTargetName + "\": { " + Sample(BudgetKey.MaxLatencyMs) + " } }";

    public static readonly KeyLevel Root = new("the top level",
        new KeySpec(Schema, ValueKind.String, "\"./subnetgen.constraints.schema.json\""),
        new KeySpec(Models, ValueKind.Array, "[ { \"name\": \"FashionClassifier\", \"supernet\": { … }, \"targets\": { … } } ]"));

    public static readonly KeyLevel Model = new("a model (an entry of \"models\")",
        new KeySpec(Name, ValueKind.String, "\"FashionClassifier\""),
        new KeySpec(Namespace, ValueKind.String, "\"MyApp.Models\""),
        new KeySpec(Supernet, ValueKind.Object, "{ \"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\", \"version\": \"1.0.0\" }"),
        new KeySpec(Targets, ValueKind.Object, TargetsExample));

    public static readonly KeyLevel SupernetLevel = new("\"supernet\"",
        new KeySpec(Id, ValueKind.String, "\"SubnetGen.Supernet.FashionMnist.CompOFA\""),
        new KeySpec(Version, ValueKind.String, "\"1.0.0\""),
        new KeySpec(Sha512, ValueKind.String, "\"" + PackageNames.ExampleSha512 + "\""));

    public static readonly IReadOnlyList<KeyLevel> All = new[] { Root, Model, SupernetLevel, Target };

    /// <summary>A budget key with its example value as the file would have it: <c>"maxLatencyMs": 2.0</c>.</summary>
    public static string Sample(BudgetKey key) => "\"" + key.Name + "\": " + Target.Find(key.Name)!.Example;
}
