using System;
using SubnetGen.Trainer.Commands;
using SubnetGen.Trainer.Evaluation;

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

    [Theory]
    [InlineData("", "auto")]
    [InlineData("--predictor mlp", "mlp")]
    [InlineData("--predictor linear", "linear")]
    public void Predictor_option_defaults_to_auto(string arguments, string expected)
    {
        var result = RunCommand.Create().Parse(("--out x " + arguments).Trim());
        Assert.Empty(result.Errors);
        var kind = PredictorKinds.Parse(result.GetValue<string>("--predictor")!);
        Assert.Equal(expected, PredictorKinds.Name(kind));
    }

    [Fact]
    public void An_unknown_predictor_kind_names_the_ones_there_are()
    {
        var error = Assert.Throws<ArgumentException>(() => PredictorKinds.Parse("ensemble"));
        Assert.Contains("use auto, mlp or linear", error.Message);
    }
}
