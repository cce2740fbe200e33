using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;
using SubnetGen.TestSupport;

namespace SubnetGen.Benchmarks;

/// <summary>
/// How well a device latency table predicts a whole model: <see cref="LatencySubnets.PerFamily"/> seeded random subnets of
/// each released supernet, the generated model's <c>Predict</c> timed by BenchmarkDotNet, beside the latency the build's
/// <see cref="LatencyModel"/> predicts for the same subnet from the table <c>subnetgen profile</c> wrote for this machine
/// (bench/latency/&lt;family&gt;.json; build/latency-check.sh writes them and runs this): the layers' sum and the estimate with
/// the table's whole-model scale, each with its (estimate − measured) / measured; the run ends with each family's median |error|.
/// </summary>
[Config(typeof(LatencyModelBenchmarks.Columns))]
public class LatencyModelBenchmarks
{
    [Params("compofa", "moofa", "ofa")]
    public string Family { get; set; } = "";

    [ParamsSource(nameof(Indices))]
    public int Subnet { get; set; }

    public static IEnumerable<int> Indices => Enumerable.Range(0, LatencySubnets.PerFamily);

    private string _folder = "";
    private GeneratedModel _model = null!;
    private float[] _pixels = null!;
    private readonly float[] _probabilities = new float[10];

    [GlobalSetup]
    public void Setup()
    {
        _folder = ReleasedBundle.Extract(LatencySubnets.Package(Family));
        var bundle = SupernetBundle.Load(_folder);
        var config = LatencySubnets.Config(bundle.Spec, Subnet);
        _model = GeneratedModelCompiler.Compile(bundle, config);
        _pixels = IdxTestSet.Load(IdxTestSet.FashionMnistFolder, 1).Image(0);
        Console.WriteLine($"// {Family} #{Subnet} = {config}: {_model.Cost.Macs:N0} MACs");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model?.Dispose();
        if (_folder.Length > 0 && Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public int Predict()
    {
        _model.Predict(_pixels, _probabilities);
        return GeneratedModel.ArgMax(_probabilities);
    }

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new PredictionColumn(wholeModel: false, error: false), new PredictionColumn(wholeModel: false, error: true),
                new PredictionColumn(wholeModel: true, error: false), new PredictionColumn(wholeModel: true, error: true));
        }
    }

    /// <summary>(predicted − measured) / measured of a case, or null without a table or a result.</summary>
    public static double? RelativeError(Summary summary, BenchmarkCase benchmarkCase, bool wholeModel) =>
        MeanMilliseconds(summary, benchmarkCase) is double measured ? RelativeError(Key(benchmarkCase), measured, wholeModel) : null;

    private static double? RelativeError((string Family, int Subnet) subnet, double measuredMilliseconds, bool wholeModel) =>
        LatencySubnets.Predicted(subnet.Family, subnet.Subnet, wholeModel) is double predicted ? (predicted - measuredMilliseconds) / measuredMilliseconds : null;

    private static double? MeanMilliseconds(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics is { } statistics ? statistics.Mean / 1e6 : null;

    private static (string Family, int Subnet) Key(BenchmarkCase c) => ((string)c.Parameters["Family"], (int)c.Parameters["Subnet"]);

    /// <summary>
    /// Each family's median |error|, of the layers' sum and of the whole-model-scaled estimate. Each run's means are also
    /// kept in bench/latency/runs/ (build/latency-check.sh empties it after profiling); with two runs or more on the same
    /// tables, the medians against each subnet's fastest mean follow — on a shared machine one run can sit in a slow
    /// phase that lasts minutes (docs/search.md, "How good the latency model is").
    /// </summary>
    public static void PrintMedians(Summary summary)
    {
        var measured = summary.BenchmarksCases.Where(c => c.Descriptor.Type == typeof(LatencyModelBenchmarks))
            .Select(c => (Key: Key(c), Mean: MeanMilliseconds(summary, c))).Where(m => m.Mean is not null)
            .ToDictionary(m => m.Key, m => m.Mean!.Value);
        if (measured.Count == 0) return;
        Print("", measured);

        string runs = Path.Combine(Program.BenchFolder() ?? ".", "latency", "runs");
        Directory.CreateDirectory(runs);
        int run = Directory.GetFiles(runs, "run-*.tsv").Length + 1;
        File.WriteAllLines(Path.Combine(runs, $"run-{run}.tsv"),
            measured.OrderBy(m => m.Key.Family, StringComparer.Ordinal).ThenBy(m => m.Key.Subnet)
                .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key.Family}\t{m.Key.Subnet}\t{m.Value:R}")));
        if (run < 2) return;
        var fastest = new Dictionary<(string, int), double>();
        foreach (string file in Directory.GetFiles(runs, "run-*.tsv"))
            foreach (var fields in File.ReadAllLines(file).Select(l => l.Split('\t')))
            {
                var key = (fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture));
                double mean = double.Parse(fields[2], CultureInfo.InvariantCulture);
                fastest[key] = fastest.TryGetValue(key, out double known) ? Math.Min(known, mean) : mean;
            }
        Print($" (each subnet's fastest of {run} runs)", fastest);
    }

    private static void Print(string what, IReadOnlyDictionary<(string Family, int Subnet), double> measured)
    {
        foreach (var family in measured.GroupBy(m => m.Key.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string Median(bool wholeModel)
            {
                var errors = family.Select(m => RelativeError(m.Key, m.Value, wholeModel)).OfType<double>().Select(Math.Abs).OrderBy(e => e).ToList();
                return errors.Count == 0 ? "n/a" : (errors[errors.Count / 2] * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
            }
            Console.WriteLine($"// {family.Key}{what}: median |error| over {family.Count()} subnets — layers' sum {Median(false)}, with the whole-model scale {Median(true)}");
        }
    }

    /// <summary>The table's prediction for the case's subnet (ms), or its relative error against the measured mean.</summary>
    private sealed class PredictionColumn(bool wholeModel, bool error) : IColumn
    {
        public string Id => "LatencyModel" + (wholeModel ? "Scaled" : "Sum") + (error ? "Error" : "");
        public string ColumnName => (wholeModel ? "Scaled" : "LayerSum") + (error ? "Error" : "");
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => (wholeModel ? 2 : 0) + (error ? 1 : 0);
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => (wholeModel ? "The table's estimate with its whole-model scale" : "The sum of the subnet's layers in the table") + (error ? ": (estimate − Mean) / Mean" : ", ms");
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            if (!error)
                return LatencySubnets.Predicted((string)benchmarkCase.Parameters["Family"], (int)benchmarkCase.Parameters["Subnet"], wholeModel) is double ms
                    ? ms.ToString("0.000", CultureInfo.InvariantCulture) + " ms" : "no table";
            return RelativeError(summary, benchmarkCase, wholeModel) is double e ? (e * 100).ToString("+0.0;−0.0", CultureInfo.InvariantCulture) + " %" : "–";
        }
    }
}

/// <summary>The subnets <see cref="LatencyModelBenchmarks"/> times, and what the device tables predict for them.</summary>
public static class LatencySubnets
{
    public const int PerFamily = 20;

    public static string Package(string family) => family switch
    {
        "compofa" => ReleasedBundle.CompOfa,
        "moofa" => ReleasedBundle.MoOfa,
        "ofa" => ReleasedBundle.Ofa,
        _ => throw new ArgumentException($"No released supernet of family '{family}'.", nameof(family)),
    };

    /// <summary>Subnet <paramref name="index"/>: smallest, largest, then seeded random draws (seed 7), the same on every machine.</summary>
    public static SubnetConfig Config(SupernetSpec spec, int index)
    {
        int stages = spec.Stages.Count;
        if (index == 0) return spec.Space.Smallest(stages);
        if (index == 1) return spec.Space.Largest(stages);
        var random = new Random(7);
        SubnetConfig config = spec.Space.Smallest(stages);
        for (int i = 2; i <= index; i++) config = RandomSubnets.Sample(spec.Space, stages, random);
        return config;
    }

    private static readonly Dictionary<string, (SupernetSpec Spec, LatencyModel? Scaled, LatencyModel? Sum)> s_loaded = new(StringComparer.Ordinal);

    /// <summary>What bench/latency/<paramref name="family"/>.json predicts for subnet <paramref name="index"/>, in ms (without its whole-model scale unless <paramref name="wholeModel"/>); null without the table.</summary>
    public static double? Predicted(string family, int index, bool wholeModel = true)
    {
        if (!s_loaded.TryGetValue(family, out var loaded))
        {
            string folder = ReleasedBundle.Extract(Package(family));
            try
            {
                var spec = SupernetBundle.Load(folder).Spec;
                string bench = Program.BenchFolder() ?? throw new DirectoryNotFoundException("bench/ was not found above " + AppContext.BaseDirectory);
                string table = Path.Combine(bench, "latency", family + ".json");
                var device = File.Exists(table) ? DeviceLatencyTable.Load(table) : null;
                loaded = (spec, device is null ? null : new LatencyModel(device), device is null ? null : new LatencyModel(device.WithWholeModel(null)));
                s_loaded[family] = loaded;
            }
            finally { Directory.Delete(folder, recursive: true); }
        }
        return (wholeModel ? loaded.Scaled : loaded.Sum)?.Estimate(GraphBuilder.Build(loaded.Spec, Config(loaded.Spec, index))).Milliseconds;
    }
}
