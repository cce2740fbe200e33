// One way to put an architecture or budget into a Markdown table cell, compiled into the pipeline (the build's Pareto
// report) and the CLI (evaluate and bench reports). Internal in both.
namespace SubnetGen.Reports;

internal static class MarkdownCode
{
    /// <summary><paramref name="text"/> as inline code inside a table cell: architectures separate stages with "|", which would end the cell.</summary>
    public static string Cell(string text) => "`" + text.Replace("|", "\\|") + "`";
}
