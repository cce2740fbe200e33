using System;

namespace SubnetGen.Trainer.Evaluation;

/// <summary>
/// Which accuracy predictor the trainer fits on measured subnets. Both are written as predictor.json's
/// <c>mlp</c> kind (a linear model is a one-layer MLP), so the build reads either without knowing which.
/// </summary>
internal enum PredictorKind
{
    /// <summary>Cross-validate both and keep the one with the higher Kendall tau.</summary>
    Auto,
    /// <summary>OFA's MLP: 3 hidden layers of 400, ReLU, on the one-hot encoding.</summary>
    Mlp,
    /// <summary>Ridge regression on the one-hot encoding (<see cref="RidgeRegression"/>).</summary>
    Linear,
}

/// <summary>The command-line names of <see cref="PredictorKind"/>.</summary>
internal static class PredictorKinds
{
    public static string Name(PredictorKind kind) => kind switch
    {
        PredictorKind.Mlp => "mlp",
        PredictorKind.Linear => "linear",
        _ => "auto",
    };

    public static PredictorKind Parse(string text) => text switch
    {
        "auto" => PredictorKind.Auto,
        "mlp" => PredictorKind.Mlp,
        "linear" => PredictorKind.Linear,
        _ => throw new ArgumentException($"--predictor is \"{text}\"; use auto, mlp or linear."),
    };
}
