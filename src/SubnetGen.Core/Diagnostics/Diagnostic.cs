using System;
using System.Globalization;

namespace SubnetGen.Core.Diagnostics;

/// <summary>
/// A user-facing error or warning with a stable code (SNGxxxx), where it is (file, 1-based line and
/// column, when known) and what to write instead. Codes are declared in <see cref="DiagnosticCodes"/>
/// and documented in docs/errors.md.
/// </summary>
public sealed record Diagnostic(string Code, string Message, string? File = null, int Line = 0, int Column = 0, string? Fix = null, bool IsWarning = false)
{
    /// <summary>MSBuild/compiler canonical form: <c>file(line,col): error SNG1001: message Fix: …</c>.</summary>
    public override string ToString()
    {
        string where = File is null ? "" : Line > 0
            ? string.Format(CultureInfo.InvariantCulture, "{0}({1},{2}): ", File, Line, Column)
            : File + ": ";
        string fix = string.IsNullOrEmpty(Fix) ? "" : " Fix: " + Fix;
        return $"{where}{(IsWarning ? "warning" : "error")} {Code}: {Message}{fix}";
    }
}

/// <summary>Thrown by Core when input is wrong; carries the diagnostic the task or CLI reports.</summary>
public sealed class SubnetGenException : Exception
{
    public SubnetGenException(Diagnostic diagnostic) : base(diagnostic.ToString()) => Diagnostic = diagnostic;

    public SubnetGenException(Diagnostic diagnostic, Exception inner) : base(diagnostic.ToString(), inner) => Diagnostic = diagnostic;

    public Diagnostic Diagnostic { get; }
}

/// <summary>
/// Every diagnostic code SubnetGen reports, one constant each, never reused. Ranges:
/// SNG1xxx constraints.json, SNG2xxx supernet package resolution (task), SNG3xxx search,
/// SNG4xxx bundle and artifact formats, extraction, SNG6xxx the trainer (loading libtorch). (The generator's
/// own SNG5xxx live in SubnetGen.Generators/DiagnosticDescriptors.cs.) Each range is declared in its own
/// DiagnosticCodes.*.cs file beside this one; docs/errors.md documents all of them.
/// </summary>
public static partial class DiagnosticCodes
{
}
