using SubnetGen.Generators.Parsing;

namespace SubnetGen.Generators.Tests;

public sealed class LabelIdentifierTests
{
    [Theory]
    [InlineData("T-shirt/top", "TShirtTop")]
    [InlineData("Ankle boot", "AnkleBoot")]
    [InlineData("ankle_boot", "AnkleBoot")]
    [InlineData("Trouser", "Trouser")]
    [InlineData("3d printer", "_3dPrinter")]
    [InlineData("7", "_7")]
    [InlineData("  leading and trailing  ", "LeadingAndTrailing")]
    [InlineData("McDonald's", "McDonaldS")]
    [InlineData("Größe", "Größe")]
    [InlineData("class", "Class")]
    public void MakesPascalCaseIdentifiers(string label, string expected) =>
        Assert.Equal(expected, LabelIdentifiers.FromLabel(label));

    [Theory]
    [InlineData("")]
    [InlineData("???")]
    [InlineData("- / -")]
    public void LabelsWithoutLettersOrDigitsHaveNoIdentifier(string label) =>
        Assert.Null(LabelIdentifiers.FromLabel(label));
}
