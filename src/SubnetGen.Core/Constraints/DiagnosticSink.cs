using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Constraints;

/// <summary>Collects every diagnostic of one read, placing each at the byte offset of its token.</summary>
internal sealed class DiagnosticSink
{
    private readonly string _file;
    private readonly Utf8LineMap _lines;
    private readonly List<Diagnostic> _diagnostics = new();

    public DiagnosticSink(string file, Utf8LineMap lines)
    {
        _file = file;
        _lines = lines;
    }

    public bool HasErrors => _diagnostics.Any(d => !d.IsWarning);

    public int ErrorCount => _diagnostics.Count(d => !d.IsWarning);

    public void Error(string code, long offset, string message, string fix) => Add(code, offset, message, fix, isWarning: false);

    public void Warning(string code, long offset, string message, string fix) => Add(code, offset, message, fix, isWarning: true);

    public void ErrorAt(string code, int line, int column, string message, string fix) =>
        _diagnostics.Add(new Diagnostic(code, message, _file, line, column, fix));

    public SourceLocation Location(long offset)
    {
        var (line, column) = _lines.At(offset);
        return new SourceLocation(_file, line, column);
    }

    public int LineOf(long offset) => _lines.At(offset).Line;

    /// <summary>In file order (line, then column); ties keep the order they were found in.</summary>
    public IReadOnlyList<Diagnostic> Ordered() => _diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();

    private void Add(string code, long offset, string message, string fix, bool isWarning)
    {
        var (line, column) = _lines.At(offset);
        _diagnostics.Add(new Diagnostic(code, message, _file, line, column, fix, isWarning));
    }
}
