using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Benchmarking;

/// <summary>A distinct pick of the benchmark: its short name in the tables (O1, C2, M1…), the search result and its test accuracy.</summary>
internal sealed record Pick(string Id, BenchFamily Family, SearchResult Result, AccuracyResult Test);

/// <summary>
/// Every distinct (family, config) the searches picked, named in order of first appearance and measured once on the test
/// images (<see cref="TestAccuracies"/>).
/// </summary>
internal sealed class PickCatalog(TestImages images, TextWriter log)
{
    private readonly List<(BenchFamily Family, SearchResult Result)> _order = new();
    private readonly Dictionary<(Family, SubnetConfig), Pick> _picks = new();
    private readonly TestAccuracies _tests = new(images);

    /// <summary>Registers a pick (null: infeasible, nothing to register); call in table order so the names follow it.</summary>
    public void Add(BenchFamily family, SearchResult? result)
    {
        if (result is not null && !_order.Any(p => p.Family.Family == family.Family && p.Result.Config.Equals(result.Config)))
            _order.Add((family, result));
    }

    /// <summary>Measures every registered pick; before this, <see cref="Of"/> knows none.</summary>
    public void MeasureAll()
    {
        var numbers = new Dictionary<Family, int>();
        foreach (var (family, result) in _order)
        {
            if (_picks.ContainsKey((family.Family, result.Config))) continue;
            numbers[family.Family] = numbers.TryGetValue(family.Family, out int n) ? n + 1 : 1;
            string id = Letter(family.Family) + numbers[family.Family].ToString(CultureInfo.InvariantCulture);
            log.WriteLine($"{id} {family.Name} {result.Config}: extracting, generating, compiling, classifying {images.Count:#,0} images…");
            var test = _tests.Of(family, result.Config).Result;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id}: {test.Accuracy * 100:0.00} % ({test.Correct:#,0} of {test.Images:#,0})"));
            _picks.Add((family.Family, result.Config), new Pick(id, family, result, test));
        }
    }

    public Pick Of(BenchFamily family, SearchResult result) => _picks[(family.Family, result.Config)];

    /// <summary>Every pick, in order of first appearance.</summary>
    public IEnumerable<Pick> All => _order.Select(p => Of(p.Family, p.Result));

    // One letter per family keeps the tables narrow; the picks table spells the family out.
    private static string Letter(Family family) => family switch
    {
        Family.Ofa => "O",
        Family.CompOfa => "C",
        Family.MoOfa => "M",
    };
}
