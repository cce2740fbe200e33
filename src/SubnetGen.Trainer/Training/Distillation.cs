using static TorchSharp.torch;

namespace SubnetGen.Trainer.Training;

/// <summary>OFA's loss: cross-entropy with label smoothing 0.1, plus soft cross-entropy against the teacher's softmax.</summary>
internal static class Distillation
{
    public const double LabelSmoothing = 0.1;

    public static Tensor Loss(Tensor logits, Tensor labels, Tensor? teacherLogits, double kdRatio = 1.0)
    {
        var loss = nn.functional.cross_entropy(logits, labels, label_smoothing: LabelSmoothing);
        if (teacherLogits is null) return loss;
        using var soft = nn.functional.softmax(teacherLogits, 1);
        using var logProbs = nn.functional.log_softmax(logits, 1);
        using var soft_ce = (-(soft * logProbs)).sum(1).mean();
        using var ratio = Model.Scalars.Of(kdRatio);
        using var weighted = soft_ce.mul(ratio);
        return loss.add(weighted, Model.Scalars.One);
    }
}
