using System;

namespace SubnetGen.Trainer.Training;

/// <summary>
/// BigNAS's sandwich rule: which subnets every distilling step trains besides the sampled ones. Their gradients
/// are added on top of the sampled subnets' (whose draws and gradient scale stay as they are), so a rule only adds work.
/// </summary>
internal enum SandwichRule
{
    /// <summary>Only the sampled subnets (OFA's progressive shrinking).</summary>
    None,

    /// <summary>Also the largest subnet: it stays closer to its teacher, at a cost to the smallest (docs/training.md).</summary>
    Largest,

    /// <summary>Also the largest and the phase's smallest subnet (BigNAS's full rule).</summary>
    Full,
}

internal static class SandwichRules
{
    public static SandwichRule Parse(string text) => text.ToLowerInvariant() switch
    {
        "none" => SandwichRule.None,
        "largest" => SandwichRule.Largest,
        "full" => SandwichRule.Full,
        _ => throw new ArgumentException($"--sandwich {text}: use none, largest or full."),
    };

    public static string Name(SandwichRule rule) => rule switch
    {
        SandwichRule.Largest => "largest",
        SandwichRule.Full => "full",
        _ => "none",
    };
}
