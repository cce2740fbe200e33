using System;
using System.Linq;

namespace SubnetGen.Core.Tests.Constraints;

/// <summary>
/// Test documents. A '§' in a document marks where a diagnostic must point; <see cref="Mark"/> removes it
/// and computes the expected 1-based line and column from the text itself.
/// </summary>
internal static class ConstraintsText
{
    public const string FilePath = "/src/App/constraints.json";

    /// <summary>The DESIGN.md example, with a comment and a trailing comma (both allowed).</summary>
    public static readonly string Valid = Lf("""
        {
          // SubnetGen constraints for the sample app
          "$schema": "./subnetgen.constraints.schema.json",
          "models": [
            {
              "name": "FashionClassifier",
              "namespace": "MyApp.Models",
              "supernet": { "id": "SubnetGen.Supernet.FashionMnist.CompOFA", "version": "1.0.0" },
              "targets": {
                "default": { "maxLatencyMs": 2.0, "maxPeakMemoryKB": 256, "maxWeightsKB": 1024 },
                "cortex-a53": { "latencyTable": "devices/a53.json", "maxLatencyMs": 5.0, "maxPeakMemoryKB": 128 },
              }
            }
          ]
        }
        """);

    /// <summary>
    /// <see cref="Valid"/> with each (from, to) pair replaced; every from must occur exactly once, so an
    /// edit that silently does nothing fails the test instead of passing it.
    /// </summary>
    public static Marked Edit(params (string From, string To)[] edits)
    {
        string text = Valid;
        foreach (var (from, to) in edits)
        {
            int first = text.IndexOf(from, StringComparison.Ordinal);
            if (first < 0 || text.IndexOf(from, first + 1, StringComparison.Ordinal) >= 0)
                throw new ArgumentException($"'{from}' must occur exactly once in the document.");
            text = text.Replace(from, to);
        }
        return Mark(text);
    }

    public static Marked Mark(string textWithMarker)
    {
        string text = Lf(textWithMarker);
        int index = text.IndexOf('§');
        if (index < 0 || text.IndexOf('§', index + 1) >= 0) throw new ArgumentException("The document needs exactly one '§'.");
        int line = text.Take(index).Count(c => c == '\n') + 1;
        int lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        if (index == 0) lineStart = 0;
        return new Marked(text.Remove(index, 1), line, index - lineStart + 1);
    }

    /// <summary>Raw literals take the source file's line endings; the tests choose their own.</summary>
    public static string Lf(string text) => text.Replace("\r\n", "\n");
}

internal sealed record Marked(string Text, int Line, int Column);
