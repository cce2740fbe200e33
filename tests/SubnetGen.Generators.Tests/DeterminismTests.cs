using System;
using System.Globalization;
using SubnetGen.Generators.Tests.Infrastructure;

namespace SubnetGen.Generators.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void SameArtifactGivesByteIdenticalSource()
    {
        string first = GeneratorHarness.Run(Artifacts.Small.Json).Source;
        string second = GeneratorHarness.Run(Artifacts.Small.Json).Source;

        Assert.Equal(first, second);
    }

    [Fact]
    public void SourceDoesNotDependOnTheBuildMachinesCulture()
    {
        string invariant = GeneratorHarness.Run(Artifacts.Small.Json).Source;
        var saved = CultureInfo.CurrentCulture;
        try
        {
            // Decimal comma, dot grouping, another minus: a culture-sensitive ToString would show.
            // (Built by hand: the repo runs with InvariantGlobalization, where named cultures do not exist.)
            var odd = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            odd.NumberFormat.NumberDecimalSeparator = ",";
            odd.NumberFormat.NumberGroupSeparator = ".";
            odd.NumberFormat.NegativeSign = "~";
            CultureInfo.CurrentCulture = odd;
            CultureInfo.CurrentUICulture = odd;
            string other = GeneratorHarness.Run(Artifacts.Small.Json).Source;
            Assert.Equal(invariant, other);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = saved;
        }
    }

    [Fact]
    public void SourceUsesLineFeedsOnly()
    {
        string source = GeneratorHarness.Run(Artifacts.Small.Json).Source;

        Assert.DoesNotContain("\r", source, StringComparison.Ordinal);
    }
}
