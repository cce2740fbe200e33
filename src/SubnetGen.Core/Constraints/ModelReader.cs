using System.Collections.Generic;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Constraints;

/// <summary>Reads one entry of <c>models</c>: name, namespace, supernet reference and targets.</summary>
internal static class ModelReader
{
    private static readonly string Example = "{ \"name\": \"FashionClassifier\", \"supernet\": { \"id\": \"…\", \"version\": \"1.0.0\" }, \"targets\": " + ConstraintKeys.TargetsExample + " }";

    /// <summary>
    /// The model, or null when it has errors (all reported). <paramref name="nameNode"/> is the name as written
    /// whenever it is a string, so the caller can find duplicate names even in models with other errors.
    /// </summary>
    public static ModelConstraints? Read(JsonNode node, string path, string? baseDirectory, DiagnosticSink sink, out JsonStringNode? nameNode)
    {
        nameNode = null;
        int errorsBefore = sink.ErrorCount;
        if (!ValueTypes.CheckObject(node, path, Example, sink)) return null;
        var model = (JsonObjectNode)node;
        var keys = ObjectKeys.Known(model, ConstraintKeys.Model, path, sink);

        nameNode = RequiredString(model, keys, ConstraintKeys.Model, ConstraintKeys.Name, path, sink);
        if (nameNode is not null) CheckName(nameNode, path, sink);
        string? ns = Namespace(keys, path, sink);
        var supernet = Supernet(model, keys, path, sink);
        var (targets, targetsLocation) = Targets(model, keys, path, baseDirectory, sink);

        if (sink.ErrorCount != errorsBefore || nameNode is null || supernet is null || targets is null) return null;
        return new ModelConstraints(nameNode.Value, ns, supernet, targets) { TargetsLocation = targetsLocation };
    }

    /// <summary>The string value of a required key; reports it missing (SNG1007) or of the wrong type (SNG1006).</summary>
    private static JsonStringNode? RequiredString(JsonObjectNode owner, IReadOnlyDictionary<string, JsonProperty> keys, KeyLevel level, string key, string path, DiagnosticSink sink)
    {
        var spec = level.Find(key)!;
        if (!keys.TryGetValue(key, out var property))
        {
            sink.Error(DiagnosticCodes.ConstraintsRequiredKeyMissing, owner.Offset,
                $"{ObjectKeys.Describe(path)} has no \"{key}\".", $"add \"{key}\": {spec.Example}.");
            return null;
        }
        return ValueTypes.Check(property, spec, path + "." + key, sink) ? (JsonStringNode)property.Value : null;
    }

    private static JsonObjectNode? RequiredObject(JsonObjectNode owner, IReadOnlyDictionary<string, JsonProperty> keys, string key, string path, DiagnosticSink sink, out JsonProperty? property)
    {
        var spec = ConstraintKeys.Model.Find(key)!;
        if (!keys.TryGetValue(key, out property))
        {
            sink.Error(DiagnosticCodes.ConstraintsRequiredKeyMissing, owner.Offset,
                $"{path} has no \"{key}\".", $"add \"{key}\": {spec.Example}.");
            return null;
        }
        return ValueTypes.Check(property, spec, path + "." + key, sink) ? (JsonObjectNode)property.Value : null;
    }

    private static void CheckName(JsonStringNode name, string path, DiagnosticSink sink)
    {
        if (CSharpNames.IsIdentifier(name.Value)) return;
        string why = CSharpNames.IsKeyword(name.Value) ? "is a C# keyword" : "is not a valid C# identifier";
        sink.Error(DiagnosticCodes.ConstraintsInvalidModelName, name.Offset,
            $"{path}.name \"{name.Value}\" {why}; the name becomes the generated class name.",
            $"write \"name\": \"{CSharpNames.ToIdentifier(name.Value)}\" (a letter or '_' first, then letters, digits or '_').");
    }

    private static string? Namespace(IReadOnlyDictionary<string, JsonProperty> keys, string path, DiagnosticSink sink)
    {
        if (!keys.TryGetValue(ConstraintKeys.Namespace, out var property)) return null;
        if (!ValueTypes.Check(property, ConstraintKeys.Model.Find(ConstraintKeys.Namespace)!, path + ".namespace", sink)) return null;
        var ns = (JsonStringNode)property.Value;
        if (CSharpNames.IsNamespace(ns.Value)) return ns.Value;
        sink.Error(DiagnosticCodes.ConstraintsInvalidNamespace, ns.Offset,
            $"{path}.namespace \"{ns.Value}\" is not a valid C# namespace.",
            $"write \"namespace\": \"{CSharpNames.ToNamespace(ns.Value)}\" (identifiers separated by '.'), or leave it out to use the project's RootNamespace.");
        return null;
    }

    private static SupernetReference? Supernet(JsonObjectNode model, IReadOnlyDictionary<string, JsonProperty> keys, string path, DiagnosticSink sink)
    {
        var supernet = RequiredObject(model, keys, ConstraintKeys.Supernet, path, sink, out _);
        if (supernet is null) return null;
        string supernetPath = path + "." + ConstraintKeys.Supernet;
        var supernetKeys = ObjectKeys.Known(supernet, ConstraintKeys.SupernetLevel, supernetPath, sink);

        var id = RequiredString(supernet, supernetKeys, ConstraintKeys.SupernetLevel, ConstraintKeys.Id, supernetPath, sink);
        if (id is not null && !PackageNames.IsPackageId(id.Value))
        {
            sink.Error(DiagnosticCodes.ConstraintsInvalidSupernetId, id.Offset,
                $"{supernetPath}.id \"{id.Value}\" is not a valid NuGet package id.",
                $"write the supernet package's id, e.g. \"id\": \"SubnetGen.Supernet.FashionMnist.CompOFA\" (letters, digits, '_', and '.' or '-' between them, at most {PackageNames.MaxIdLength} characters).");
            id = null;
        }

        var version = RequiredString(supernet, supernetKeys, ConstraintKeys.SupernetLevel, ConstraintKeys.Version, supernetPath, sink);
        if (version is not null && !PackageNames.IsExactVersion(version.Value))
        {
            string? suggestion = PackageNames.SuggestVersion(version.Value);
            sink.Error(DiagnosticCodes.ConstraintsInvalidSupernetVersion, version.Offset,
                $"{supernetPath}.version \"{version.Value}\" is not an exact package version (major.minor.patch, optionally -prerelease).",
                suggestion is not null
                    ? $"write \"version\": \"{suggestion}\"."
                    : "write one exact version, e.g. \"version\": \"1.0.0\" or \"1.1.0-beta.1\"; floating versions (1.*) and ranges ([1.0,2.0)) are not allowed, so that a build is reproducible.");
            version = null;
        }

        var sha512 = Sha512(supernetKeys, supernetPath, sink, out bool sha512Invalid);
        return id is null || version is null || sha512Invalid ? null : new SupernetReference(id.Value, version.Value, sha512);
    }

    /// <summary>The optional pin; a hex digest (what sha512sum prints) is refused with its base64 form as the fix.</summary>
    private static string? Sha512(IReadOnlyDictionary<string, JsonProperty> keys, string path, DiagnosticSink sink, out bool invalid)
    {
        invalid = false;
        if (!keys.TryGetValue(ConstraintKeys.Sha512, out var property)) return null;
        invalid = true;
        if (!ValueTypes.Check(property, ConstraintKeys.SupernetLevel.Find(ConstraintKeys.Sha512)!, path + "." + ConstraintKeys.Sha512, sink)) return null;
        var hash = (JsonStringNode)property.Value;
        if (PackageNames.IsSha512(hash.Value))
        {
            invalid = false;
            return hash.Value;
        }
        string? fromHex = PackageNames.Sha512FromHex(hash.Value);
        sink.Error(DiagnosticCodes.ConstraintsInvalidSupernetHash, hash.Offset,
            fromHex is not null
                ? $"{path}.sha512 is a hex digest; the pin is written in base64, as NuGet's packages.lock.json writes a package's contentHash."
                : $"{path}.sha512 \"{Shorten(hash.Value)}\" is not a base64 SHA-512 (88 characters ending in \"==\").",
            fromHex is not null
                ? $"write \"sha512\": \"{fromHex}\"."
                : "let `subnetgen pin` write it, or copy the package's contentHash from a packages.lock.json, or compute it with `openssl dgst -sha512 -binary <package>.nupkg | base64 -w0`.");
        return null;
    }

    private static string Shorten(string text) => text.Length > 24 ? text.Substring(0, 24) + "…" : text;

    private static (IReadOnlyList<TargetConstraints>? Targets, SourceLocation? Location) Targets(
        JsonObjectNode model, IReadOnlyDictionary<string, JsonProperty> keys, string path, string? baseDirectory, DiagnosticSink sink)
    {
        var targets = RequiredObject(model, keys, ConstraintKeys.Targets, path, sink, out var property);
        if (targets is null) return (null, null);
        if (targets.Properties.Count == 0)
        {
            sink.Error(DiagnosticCodes.ConstraintsNoTargets, targets.Offset,
                $"{path}.targets is empty; a model needs at least one target.",
                $"add a default target, e.g. \"targets\": {{ \"{ModelConstraints.DefaultTargetName}\": {ConstraintKeys.TargetExample} }}.");
            return (null, null);
        }

        var result = new List<TargetConstraints>();
        foreach (var entry in ObjectKeys.Distinct(targets, path + ".targets", sink))
        {
            var target = TargetReader.Read(entry, path, baseDirectory, sink);
            if (target is not null) result.Add(target);
        }
        return (result, sink.Location(property!.NameOffset));
    }
}
