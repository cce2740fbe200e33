using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Constraints;

/// <summary>
/// The outcome of reading constraints.json: the document (null when there is any error) and every
/// diagnostic found, errors and warnings, ordered by line and column.
/// </summary>
public sealed record ConstraintsReadResult(ConstraintsDocument? Document, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => !d.IsWarning);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => !d.IsWarning);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => d.IsWarning);
}
