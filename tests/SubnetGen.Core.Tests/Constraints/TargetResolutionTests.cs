using System.Linq;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Tests.Constraints;

public class TargetResolutionTests
{
    private static ModelConstraints Model(string text) => ConstraintsReader.Parse(text, ConstraintsText.FilePath).Models.Single();

    [Theory]
    [InlineData(null, "default")]
    [InlineData("", "default")]
    [InlineData("default", "default")]
    [InlineData("cortex-a53", "cortex-a53")]
    public void TargetNameSelectsTheEntry(string? requested, string expected)
    {
        Assert.Equal(expected, Model(ConstraintsText.Valid).Resolve(requested).Name);
    }

    [Fact]
    public void NamesAreCaseSensitiveAndTheFixGivesTheRightCase()
    {
        var error = Assert.Throws<SubnetGenException>(() => Model(ConstraintsText.Valid).Resolve("Cortex-A53")).Diagnostic;

        Assert.Equal(DiagnosticCodes.ConstraintsUnknownTarget, error.Code);
        Assert.Contains("-p:SubnetGenTarget=cortex-a53", error.Fix);
    }

    [Fact]
    public void WithoutADefaultTargetAnUnnamedBuildIsTold()
    {
        var model = Model(ConstraintsText.Valid.Replace("\"default\":", "\"desktop\":"));

        var error = Assert.Throws<SubnetGenException>(() => model.Resolve(null)).Diagnostic;

        Assert.Equal(DiagnosticCodes.ConstraintsUnknownTarget, error.Code);
        Assert.Contains("no \"default\" target", error.Message);
        Assert.Contains("desktop, cortex-a53", error.Fix);
        Assert.Equal("desktop", model.Resolve("desktop").Name);
    }

    [Fact]
    public void DuplicateTargetIsAnErrorAndTheFirstIsNotReplaced()
    {
        var doc = ConstraintsText.Edit(("\"cortex-a53\":", "§\"default\":"));

        var diagnostic = Assert.Single(ConstraintsReader.Read(doc.Text, ConstraintsText.FilePath).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsDuplicateKey, diagnostic.Code);
        Assert.Equal((doc.Line, doc.Column), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("line 10", diagnostic.Message);
    }
}
