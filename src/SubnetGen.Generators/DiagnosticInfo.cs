using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SubnetGen.Generators.Model;

namespace SubnetGen.Generators;

/// <summary>
/// A diagnostic as plain, equatable data (Roslyn's <see cref="Diagnostic"/> and <see cref="Location"/> are not),
/// so it can travel through the cached incremental pipeline and be reported at the end.
/// </summary>
internal sealed record DiagnosticInfo(
    DiagnosticDescriptor Descriptor,
    string? FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan,
    EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic()
    {
        var location = FilePath is null ? Location.None : Location.Create(FilePath, Span, LineSpan);
        var args = new object[Arguments.Count];
        for (int i = 0; i < args.Length; i++) args[i] = Arguments[i];
        return Diagnostic.Create(Descriptor, location, args);
    }
}
