using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Tests.Constraints;

/// <summary>
/// Every code declared in <see cref="DiagnosticCodes"/>, by any area, has a section (a Markdown heading naming it) in some docs/errors/*.md.
/// This guards every area's docs, not only constraints: a new code without docs fails here on purpose.
/// </summary>
public class ErrorDocsTests
{
    public static IEnumerable<object[]> DeclaredCodes() => typeof(DiagnosticCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (Name: f.Name, Code: (string)f.GetRawConstantValue()!))
        .Where(c => c.Code.StartsWith("SNG", System.StringComparison.Ordinal))
        .OrderBy(c => c.Code, System.StringComparer.Ordinal)
        .Select(c => new object[] { c.Code, c.Name });

    [Fact]
    public void CodesAreFoundByReflection() => Assert.Contains(DeclaredCodes(), c => (string)c[0] == DiagnosticCodes.ConstraintsInvalidJson);

    [Fact]
    public void NoCodeIsDeclaredTwice()
    {
        var codes = DeclaredCodes().Select(c => (string)c[0]).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DeclaredCodes))]
    public void CodeIsDocumented(string code, string name)
    {
        string folder = Path.Combine(RepoRoot.Path, "docs", "errors");
        // A heading, not a mention: "SNG3010–SNG3012 (search errors)" in another page documents nothing.
        var documented = Directory.GetFiles(folder, "*.md")
            .SelectMany(File.ReadAllLines)
            .Where(line => line.TrimStart().StartsWith("#", System.StringComparison.Ordinal) && line.Contains(code));

        Assert.True(documented.Any(), $"{code} ({nameof(DiagnosticCodes)}.{name}) has no heading in docs/errors/*.md; add a section (## {code} — title) saying what it means, an example and the fix.");
    }
}
