using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Trainer.Evaluation;

/// <summary>What a build would pick from one bundle for one target of constraints.json, and what its predictor expects.</summary>
public sealed record TargetPick(string Target, SubnetConfig Config, double PredictedAccuracy);

/// <summary>
/// The build's search, run for every target of one model in constraints.json against a bundle folder (not a resolved
/// package), so a predictor is judged by the subnets it makes builds ship rather than by rank correlation alone.
/// </summary>
public static class TargetPicks
{
    /// <summary>The model whose targets are searched: <paramref name="modelName"/>, else the one model cut from this bundle's package id.</summary>
    public static ModelConstraints Model(ConstraintsDocument document, string constraintsPath, string? modelName, string bundleId)
    {
        string models = string.Join(", ", document.Models.Select(m => m.Name));
        if (modelName is not null)
        {
            return document.Models.FirstOrDefault(m => string.Equals(m.Name, modelName, StringComparison.Ordinal))
                ?? throw new ArgumentException($"--model {modelName}: {constraintsPath} has no such model; models: {models}.");
        }
        var matching = document.Models.Where(m => string.Equals(m.Supernet.Id, bundleId, StringComparison.OrdinalIgnoreCase)).ToList();
        return matching.Count switch
        {
            1 => matching[0],
            0 => throw new ArgumentException($"{constraintsPath} has no model cut from {bundleId} (models: {models}): pass --model <name> to use another model's budgets."),
            _ => throw new ArgumentException($"{constraintsPath} has several models cut from {bundleId} ({string.Join(", ", matching.Select(m => m.Name))}): pass --model <name>."),
        };
    }

    /// <summary>One pick per target, in file order, by the bundle's own predictor.</summary>
    public static IReadOnlyList<TargetPick> For(SupernetBundle bundle, ModelConstraints model)
    {
        var predictor = bundle.Predictor.CreatePredictor(bundle.Spec);
        var picks = new List<TargetPick>();
        foreach (var target in model.Targets)
        {
            var latency = target.LatencyTablePath is null ? null : new LatencyModel(DeviceLatencyTable.Load(target.LatencyTablePath));
            var result = SubnetSearch.Run(bundle.Spec, predictor, target.Budget, latency, bundle.Predictor.SearchOptions);
            picks.Add(new TargetPick(target.Name, result.Config, result.PredictedAccuracy));
        }
        return picks;
    }
}
