using System.Globalization;
using SubnetGen.Core.Bundle;

namespace SubnetGen.Trainer.Evaluation;

/// <summary>How the trainer names a fitted predictor and its validation, in logs and the training report.</summary>
internal static class PredictorText
{
    /// <summary>"MLP (3 hidden layers)" or "linear (ridge)", from the layers an <c>mlp</c>-kind file holds.</summary>
    public static string Model(PredictorFile predictor) => predictor.Layers.Count == 1
        ? "linear (ridge regression on the one-hot encoding)"
        : string.Create(CultureInfo.InvariantCulture, $"MLP ({predictor.Layers.Count - 1} hidden layers of {predictor.Layers[0].Outputs})");

    public static string Validation(PredictorValidation v) => v.Folds is int folds
        ? string.Create(CultureInfo.InvariantCulture, $"RMSE {v.Rmse:F4}, Kendall tau {v.KendallTau:F3} ({folds}-fold cross-validation over {v.Subnets} measured subnets)")
        : string.Create(CultureInfo.InvariantCulture, $"RMSE {v.Rmse:F4}, Kendall tau {v.KendallTau:F3} ({v.Subnets} held-out subnets)");

    public static string Describe(PredictorComparison c) => $"Predictor {PredictorKinds.Name(c.Kind)}: {Validation(c.Validation)}";

    /// <summary>The training report's line for a fitted (<c>mlp</c>-kind) predictor; it starts with <see cref="ReportLinePrefix"/>.</summary>
    public static string ReportLine(PredictorFile predictor) =>
        ReportLinePrefix + Model(predictor) + (predictor.Validation is { } v ? ", " + Validation(v) : "") + ".";

    public const string ReportLinePrefix = "Predictor: ";
}
