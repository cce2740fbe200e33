using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SubnetGen.Cli.Commands;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Diagnostics;
using SubnetGen.TestSupport;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// `subnetgen bench-search` on the three released supernets, small: 200 test images, one timed run, two budgets per table.
/// The numbers are the full run's business (docs/search.md); here the tables' shape, that every pick meets its budget,
/// and that a budget below every family's smallest subnet reads "infeasible".
/// </summary>
public sealed class BenchSearchCommandTests
{
    // Below every released subnet (OFA's smallest: 4.2 M MACs, 196 KB, 50,944 elements; MOOFA's: 147 KB, 38,144 elements).
    private const string NothingFits = "maxMacs=1000";
    private const string Loose = "maxPeakMemoryKB=250,maxMacs=8000000";

    private static BenchSearchCommand.Request Request(IReadOnlyList<string> budgets, IReadOnlyList<double> kilobytes, IReadOnlyList<long> elements, int repeat = 1) => new(
        ReleasedBundle.PackagePath(ReleasedBundle.Ofa), ReleasedBundle.PackagePath(ReleasedBundle.CompOfa), ReleasedBundle.PackagePath(ReleasedBundle.MoOfa),
        budgets, kilobytes, elements, TestSetOption.FashionMnist, 200, repeat, null);

    [Fact]
    public void Tables_name_a_pick_that_meets_each_budget_and_infeasible_below_every_subnet()
    {
        var (code, output, log) = Run(Request(new[] { NothingFits, Loose }, new[] { 100d, 250 }, new[] { 1000L, 64_000 }));
        Assert.True(code == 0, log);

        var picks = Table(output, "### Picks").ToDictionary(r => r[0], StringComparer.Ordinal);
        Assert.NotEmpty(picks);
        Assert.All(picks.Values, p => Assert.Equal(9, p.Length));
        Assert.All(picks.Values, p => Assert.Matches(@"^\d+\.\d\d %$", p[7]));
        long Macs(string id) => long.Parse(picks[id][3], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        double Kilobytes(string id) => double.Parse(picks[id][4], CultureInfo.InvariantCulture);
        long Elements(string id) => long.Parse(picks[id][5], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

        // CompOFA's claim: one row per budget, in the order given; OFA's pick in column 6, CompOFA's in column 9.
        var speed = Table(output, "### CompOFA's claim");
        Assert.Equal(new[] { "`maxMacs=1000`", "`maxPeakMemoryKB=250,maxMacs=8000000`" }, speed.Select(r => r[0]));
        Assert.All(speed, r => Assert.Equal(13, r.Length));
        Assert.Equal(new[] { "infeasible", "infeasible" }, new[] { speed[0][6], speed[0][9] });
        foreach (string id in new[] { speed[1][6], speed[1][9] })
        {
            Assert.True(Macs(id) <= 8_000_000, id + " breaks maxMacs");
            Assert.True(Kilobytes(id) <= 250, id + " breaks maxPeakMemoryKB");
        }
        Assert.Matches(@"^\d+(\.\d+)?×$", speed[1][5]);
        Assert.Equal("243", speed[1][4]);

        // MOOFA's claim: the KB budgets, then the element budgets; picks in columns 2, 4 and 6.
        var memory = Table(output, "### MOOFA's claim");
        Assert.Equal(new[] { "`maxPeakMemoryKB=100`", "`maxPeakMemoryKB=250`", "`moofaElements=1000`", "`moofaElements=64000`" }, memory.Select(r => r[0]));
        Assert.All(memory, r => Assert.Equal(10, r.Length));
        foreach (var row in new[] { memory[0], memory[2] })
        {
            Assert.Equal("no", row[1]);
            Assert.Equal(new[] { "infeasible", "infeasible", "infeasible" }, new[] { row[2], row[4], row[6] });
        }
        foreach (var row in new[] { memory[1], memory[3] })
        {
            Assert.Equal("yes", row[1]);
            Assert.Equal(new[] { "O", "C", "M" }, new[] { row[2], row[4], row[6] }.Select(id => id.Substring(0, 1)));
        }
        Assert.All(new[] { memory[1][2], memory[1][4], memory[1][6] }, id => Assert.True(Kilobytes(id) <= 250, id + " breaks 250 KB"));
        Assert.All(new[] { memory[3][2], memory[3][4], memory[3][6] }, id => Assert.True(Elements(id) <= 64_000, id + " breaks 64,000 elements"));

        Assert.Contains("on 200 Fashion-MNIST test images", output, StringComparison.Ordinal);
        Assert.Contains("Machine: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_the_errors_constraints_json_would_get_before_anything_runs()
    {
        var e = Assert.Throws<SubnetGenException>(() => Run(Request(new[] { "maxMac=5000000" }, Array.Empty<double>(), Array.Empty<long>())));
        Assert.Equal(DiagnosticCodes.ConstraintsUnknownKey, e.Diagnostic.Code);
        Assert.Contains("maxMacs", e.Diagnostic.Fix, StringComparison.Ordinal);

        e = Assert.Throws<SubnetGenException>(() => Run(Request(new[] { "maxMacs=5.5" }, Array.Empty<double>(), Array.Empty<long>())));
        Assert.Equal(DiagnosticCodes.ConstraintsBudgetNotInteger, e.Diagnostic.Code);
        e = Assert.Throws<SubnetGenException>(() => Run(Request(Array.Empty<string>(), new[] { -1d }, Array.Empty<long>())));
        Assert.Equal(DiagnosticCodes.ConstraintsBudgetNotPositive, e.Diagnostic.Code);
        e = Assert.Throws<SubnetGenException>(() => Run(Request(Array.Empty<string>(), Array.Empty<double>(), new[] { 0L })));
        Assert.Equal(DiagnosticCodes.ConstraintsBudgetNotPositive, e.Diagnostic.Code);

        var (code, _, log) = Run(Request(new[] { Loose }, Array.Empty<double>(), Array.Empty<long>(), repeat: 0));
        Assert.Equal(1, code);
        Assert.Contains("--repeat must be at least 1", log, StringComparison.Ordinal);

        // A package of another family in a family's place.
        var wrong = Assert.Throws<InvalidDataException>(() => Run(Request(new[] { Loose }, Array.Empty<double>(), Array.Empty<long>()) with { Ofa = ReleasedBundle.PackagePath(ReleasedBundle.CompOfa) }));
        Assert.Contains("is a CompOFA supernet; --ofa takes the OFA one", wrong.Message, StringComparison.Ordinal);
    }

    /// <summary>The rows of the markdown table after <paramref name="heading"/>, split into cells (an escaped \| stays in its cell).</summary>
    private static List<string[]> Table(string markdown, string heading)
    {
        var lines = markdown.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no \"{heading}\" in:\n{markdown}");
        var rows = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .Select(l => Regex.Split(l.Trim().Trim('|'), @"(?<!\\)\|").Select(c => c.Trim()).ToArray()).ToList();
        Assert.True(rows.Count >= 2 && rows[1].All(c => Regex.IsMatch(c, "^-+:?$")), $"\"{heading}\" has no header and separator");
        return rows.Skip(2).ToList();
    }

    private static (int Code, string Output, string Log) Run(BenchSearchCommand.Request request)
    {
        var output = new StringWriter();
        var log = new StringWriter();
        int code = BenchSearchCommand.Run(request, output, log);
        return (code, output.ToString(), log.ToString());
    }

    [Fact]
    public void TheDefaultSupernets_AreTheHighestVersionOfEachInFeed()
    {
        string root = Path.Combine(Path.GetTempPath(), "subnetgen-feed-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Path.Combine(root, "feed"));
        try
        {
            foreach (string name in new[] { "X.CompOFA.1.2.0.nupkg", "X.CompOFA.1.10.0.nupkg", "X.CompOFA.1.9.0.nupkg", "X.OFA.2.0.0.nupkg", "X.CompOFA.notes.nupkg" })
                File.WriteAllText(Path.Combine(root, "feed", name), "");
            Assert.Equal("feed/X.CompOFA.1.10.0.nupkg", BenchSearchCommand.FeedPackage("X.CompOFA", root));
            Assert.Equal("feed/X.OFA.2.0.0.nupkg", BenchSearchCommand.FeedPackage("X.OFA", root));
            Assert.Equal("feed/X.MOOFA.<version>.nupkg", BenchSearchCommand.FeedPackage("X.MOOFA", root));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
