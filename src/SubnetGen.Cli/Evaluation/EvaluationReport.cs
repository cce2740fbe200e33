using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Pipeline;
using SubnetGen.Reports;

namespace SubnetGen.Cli.Evaluation;

/// <summary>One evaluated subnet: what it costs and how the generated C# model did on the test images.</summary>
/// <param name="BatchNorm">Where the folded BN statistics came from, in words (<see cref="EvaluationReport.BatchNormText"/>).</param>
public sealed record EvaluationRow(string Name, SubnetConfig Config, SubnetCost Cost, AccuracyResult Result, double? TrainerAccuracy, string BatchNorm);

/// <summary>The table <c>subnetgen evaluate</c> prints, as plain text and as markdown (for training reports).</summary>
public static class EvaluationReport
{
    /// <summary>One line saying what was measured on what, and with which BN statistics.</summary>
    public static string Heading(SupernetManifest manifest, string dataset, IReadOnlyList<EvaluationRow> rows) => string.Format(CultureInfo.InvariantCulture,
        "{0} {1}{2}: generated C# model (BN folded) on {3:#,0} {4} test images, batch 1, 1 thread. BN statistics: {5}.",
        manifest.Id, manifest.Version, manifest.Trained ? "" : " (untrained)", rows.Count == 0 ? 0 : rows[0].Result.Images, dataset,
        rows.Count == 0 ? "none" : string.Join("; ", rows.Select(r => r.BatchNorm).Distinct(StringComparer.Ordinal)));

    /// <summary>How a build got the statistics it folded, as the heading says it.</summary>
    public static string BatchNormText(BatchNormSource source, int calibrationImages) =>
        BatchNormSourceText.Describe(source, calibrationImages) + (source == BatchNormSource.Recalibrated ? ", as a build does" : "");

    public static string Text(SupernetManifest manifest, string dataset, IReadOnlyList<EvaluationRow> rows)
    {
        string trainer = TrainerHeader(manifest);
        var table = new List<string[]> { new[] { "subnet", "MACs", "peak memory", "weights", "test accuracy", trainer, "images/s", "architecture" } };
        table.AddRange(rows.Select(r => new[]
        {
            r.Name, SizeText.Macs(r.Cost.Macs), SizeText.Kilobytes(r.Cost.PeakMemoryBytes), SizeText.Kilobytes(r.Cost.WeightBytes),
            Percent(r.Result.Accuracy), r.TrainerAccuracy is double t ? Percent(t) : "n/a", Rate(r.Result.ImagesPerSecond), r.Config.ToString(),
        }));
        var widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(row => row[c].Length)).ToArray();
        var text = new StringBuilder();
        text.Append(Heading(manifest, dataset, rows)).Append('\n').Append('\n');
        foreach (var row in table)
        {
            var cells = row.Select((cell, c) => c == row.Length - 1 ? cell
                : c is 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    public static string Markdown(SupernetManifest manifest, string dataset, IReadOnlyList<EvaluationRow> rows)
    {
        var text = new StringBuilder();
        text.Append(Heading(manifest, dataset, rows)).Append('\n').Append('\n');
        text.Append("| subnet | architecture | MACs | peak memory | weights | test accuracy (C#) | ").Append(TrainerHeader(manifest)).Append(" | images/s |\n");
        text.Append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in rows)
        {
            text.Append("| ").Append(r.Name)
                .Append(" | ").Append(MarkdownCode.Cell(r.Config.ToString()))
                .Append(" | ").Append(SizeText.Macs(r.Cost.Macs))
                .Append(" | ").Append(SizeText.Kilobytes(r.Cost.PeakMemoryBytes))
                .Append(" | ").Append(SizeText.Kilobytes(r.Cost.WeightBytes))
                .Append(" | ").Append(Percent(r.Result.Accuracy))
                .Append(" | ").Append(r.TrainerAccuracy is double t ? Percent(t) : "n/a")
                .Append(" | ").Append(Rate(r.Result.ImagesPerSecond))
                .Append(" |\n");
        }
        return text.ToString();
    }

    /// <summary>What the trainer measured in TorchSharp for the reference subnets, kept in supernet.json.</summary>
    public static double? TrainerAccuracy(SupernetManifest manifest, SubnetConfig config)
    {
        var spec = manifest.Spec;
        int stages = spec.Stages.Count;
        if (config.Equals(spec.Space.Smallest(stages))) return manifest.Accuracy.Smallest;
        if (config.Equals(spec.Space.Middle(stages))) return manifest.Accuracy.Middle;
        if (config.Equals(spec.Space.Largest(stages))) return manifest.Accuracy.Largest;
        return null;
    }

    private static string TrainerHeader(SupernetManifest manifest) => $"trainer ({manifest.Accuracy.Split}, TorchSharp)";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    private static string Rate(double perSecond) => perSecond.ToString("#,0", CultureInfo.InvariantCulture);
}
