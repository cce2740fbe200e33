using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;

namespace SubnetGen.Trainer.Export;

/// <summary>
/// The MLP predictor's measured subnets, one line each in <c>&lt;out&gt;/predictor-data.tsv</c>, appended and flushed
/// as they are measured (OFA 1.1.0's 500 took 46 min here), so an export that is killed part-way picks up where it
/// stopped on <c>--resume</c> instead of measuring everything again. The first line holds a key: a hash of the trained
/// weights and of everything else that changes a measurement. A file with another key belongs to another model and is
/// started afresh; a line cut short by a kill is dropped.
/// </summary>
internal sealed class PredictorSamples : IDisposable
{
    public const string FileName = "predictor-data.tsv";
    private const string HeaderPrefix = "# subnetgen-train predictor data, key ";

    private readonly List<(SubnetConfig Config, double Accuracy)> _rows;
    private readonly StreamWriter _writer;

    private PredictorSamples(List<(SubnetConfig, double)> rows, StreamWriter writer)
    {
        _rows = rows;
        _writer = writer;
    }

    /// <summary>Rows measured so far, in the order they were drawn.</summary>
    public IReadOnlyList<(SubnetConfig Config, double Accuracy)> Rows => _rows;

    /// <summary>What the rows depend on: the weights (hashed) and the description of sampling and evaluation.</summary>
    public static string Key(IReadOnlyDictionary<string, WeightTensor> weights, string measurement)
    {
        var bytes = Safetensors.ToBytes(weights, new Dictionary<string, string>(StringComparer.Ordinal) { ["measurement"] = measurement });
        return Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
    }

    /// <summary>Opens (or starts) the file at <paramref name="path"/> for <paramref name="key"/>; rows of another key are discarded.</summary>
    public static PredictorSamples Open(string path, string key)
    {
        var rows = new List<(SubnetConfig, double)>();
        string header = HeaderPrefix + key;
        bool reuse = false;
        if (File.Exists(path))
        {
            var lines = CompleteLines(path);
            reuse = lines.Length > 0 && lines[0] == header;
            if (reuse)
            {
                rows.AddRange(Parse(path, lines));
                // Rewrite exactly what was read, so appending never continues a cut-off line.
                File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")), new UTF8Encoding(false));
            }
        }
        var writer = new StreamWriter(new FileStream(path, reuse ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { NewLine = "\n" };
        if (!reuse)
        {
            writer.WriteLine(header);
            writer.Flush();
        }
        return new PredictorSamples(rows, writer);
    }

    /// <summary>
    /// Every measured row of <paramref name="path"/>, whatever its key (<c>subnetgen-train predictor</c> refits from
    /// them); a line cut short by a kill is left out.
    /// </summary>
    public static IReadOnlyList<(SubnetConfig Config, double Accuracy)> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist; an export of an OFA-sized space writes it as <out>/{FileName}.", path);
        var lines = CompleteLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith(HeaderPrefix, StringComparison.Ordinal))
            throw new InvalidDataException($"{path} does not start with \"{HeaderPrefix}<key>\"; it is not a {FileName} written by subnetgen-train.");
        return Parse(path, lines);
    }

    /// <summary>The newline-terminated lines: a kill can cut the last line short.</summary>
    private static string[] CompleteLines(string path)
    {
        string text = File.ReadAllText(path, Encoding.UTF8);
        return text.Substring(0, text.LastIndexOf('\n') + 1).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The rows after the header line.</summary>
    private static List<(SubnetConfig, double)> Parse(string path, string[] lines)
    {
        var rows = new List<(SubnetConfig, double)>();
        for (int i = 1; i < lines.Length; i++)
        {
            var parts = lines[i].Split('\t');
            if (parts.Length != 3 || !SubnetConfig.TryParse(parts[1], out var config, out _)
                || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double accuracy))
                throw new InvalidDataException($"{path} line {i + 1} is not \"index<TAB>config<TAB>accuracy\"; delete the file to measure the subnets again.");
            rows.Add((config!, accuracy));
        }
        return rows;
    }

    /// <summary>Records one measured subnet and flushes it to disk.</summary>
    public void Add(SubnetConfig config, double accuracy)
    {
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_rows.Count}\t{config}\t{accuracy:R}"));
        _writer.Flush();
        _rows.Add((config, accuracy));
    }

    public void Dispose() => _writer.Dispose();
}
