using SubnetGen.Trainer.Commands;

namespace SubnetGen.Trainer.Tests;

public sealed class RunCommandTests
{
    [Theory]
    [InlineData("", null)]
    [InlineData("--sandwich", "largest")] // stop 9's boolean flag keeps its meaning
    [InlineData("--sandwich full", "full")]
    [InlineData("--sandwich none", "none")]
    public void Sandwich_option_reads_a_rule_and_a_bare_flag_means_largest(string arguments, string? expected)
    {
        var result = RunCommand.Create().Parse(("--out x " + arguments).Trim());
        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.GetValue<string?>("--sandwich")); // null: not given, the run uses none
    }
}
