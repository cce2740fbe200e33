using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;

namespace SubnetGen.Core.Constraints;

/// <summary>A validated constraints.json: what models the app wants and what each target device allows.</summary>
public sealed record ConstraintsDocument(IReadOnlyList<ModelConstraints> Models);

/// <summary>
/// One model the app wants generated. <see cref="Namespace"/> is null when constraints.json leaves it out
/// (the build then uses the project's RootNamespace). Targets are in file order.
/// </summary>
public sealed record ModelConstraints(string Name, string? Namespace, SupernetReference Supernet, IReadOnlyList<TargetConstraints> Targets)
{
    /// <summary>The name of the target used when the build names none (<c>SubnetGenTarget</c> empty).</summary>
    public const string DefaultTargetName = "default";

    /// <summary>Where the model's <c>targets</c> key is, so an unknown target can point at it.</summary>
    public SourceLocation? TargetsLocation { get; init; }

    /// <summary>
    /// The target the build asked for: null or empty means <see cref="DefaultTargetName"/>. Names compare
    /// ordinally. Throws <see cref="SubnetGenException"/> (SNG1032) naming the known targets when there is no such target.
    /// </summary>
    public TargetConstraints Resolve(string? targetName)
    {
        string wanted = string.IsNullOrEmpty(targetName) ? DefaultTargetName : targetName!;
        foreach (var target in Targets)
        {
            if (string.Equals(target.Name, wanted, StringComparison.Ordinal)) return target;
        }

        string known = string.Join(", ", Targets.Select(t => t.Name));
        var caseOnly = Targets.FirstOrDefault(t => string.Equals(t.Name, wanted, StringComparison.OrdinalIgnoreCase));
        string message = string.IsNullOrEmpty(targetName)
            ? $"Model {Name} has no \"{DefaultTargetName}\" target, and the build names none (SubnetGenTarget is empty). Known targets: {known}."
            : $"Model {Name} has no target \"{wanted}\". Known targets: {known}.";
        string fix = caseOnly is not null
            ? $"target names are case-sensitive: build with -p:SubnetGenTarget={caseOnly.Name}."
            : $"build with -p:SubnetGenTarget=<one of: {known}>, or add a \"{wanted}\" entry under \"targets\" in constraints.json.";
        throw new SubnetGenException(new Diagnostic(DiagnosticCodes.ConstraintsUnknownTarget, message,
            TargetsLocation?.File, TargetsLocation?.Line ?? 0, TargetsLocation?.Column ?? 0, fix));
    }
}

/// <summary>
/// The supernet package a model is cut from: a NuGet package id and an exact version, and optionally the SHA-512 the
/// package must have (base64, NuGet's <c>contentHash</c> form), which pins those exact bytes.
/// </summary>
public sealed record SupernetReference(string Id, string Version, string? Sha512 = null);

/// <summary>
/// One target device's limits. <see cref="LatencyTable"/> is the path as written; <see cref="LatencyTablePath"/>
/// is it resolved against the folder of constraints.json (absolute). The reader does not open the table.
/// </summary>
public sealed record TargetConstraints(string Name, Budget Budget, string? LatencyTable, string? LatencyTablePath);

/// <summary>A place in a file: 1-based line and column (column counts UTF-16 characters; a tab is one).</summary>
public sealed record SourceLocation(string File, int Line, int Column);
