using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace SubnetGen.Integration.Tests;

/// <summary>Reading what a build printed: the task's summary line, and a readable excerpt for assertion messages.</summary>
public static class BuildOutput
{
    private static readonly Regex Summary = new(@"SubnetGen: (?<model>\w+) \[(?<target>[^\]]+)\] (?<arch>k[0-9e,|k]+):", RegexOptions.CultureInvariant);

    /// <summary>The architecture the summary line reports for the model, or null when the task did not run.</summary>
    public static string? ChosenArchitecture(ProcessResult result, string model = ConsumerProject.ModelName)
    {
        var match = Summary.Matches(result.Output).Cast<Match>().FirstOrDefault(m => m.Groups["model"].Value == model);
        return match?.Groups["arch"].Value;
    }

    /// <summary>The command, exit code and the last lines of output: enough to see why, short enough to read.</summary>
    public static string Excerpt(ProcessResult result, int lines = 80)
    {
        var all = result.Output.Split('\n');
        string tail = string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
        return $"$ {result.Command}\n(exit {result.ExitCode}, {result.Elapsed.TotalSeconds:F1} s)\n{tail}";
    }
}
