using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Tests.Constraints;

/// <summary>
/// Every code declared in <see cref="DiagnosticCodes"/>, by any area, is documented in some docs/errors/*.md.
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
        var documented = Directory.GetFiles(folder, "*.md").Where(f => File.ReadAllText(f).Contains(code));

        Assert.True(documented.Any(), $"{code} ({nameof(DiagnosticCodes)}.{name}) is in no docs/errors/*.md file; document what it means, an example and the fix.");
    }
}
