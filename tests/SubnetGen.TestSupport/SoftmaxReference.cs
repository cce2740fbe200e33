using System;

namespace SubnetGen.TestSupport;

/// <summary>Softmax in double, subtracting the largest logit: what the kernels' float softmax is compared to.</summary>
public static class SoftmaxReference
{
    public static double[] Of(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (float l in logits) max = Math.Max(max, l);
        var result = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += result[i] = Math.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++) result[i] /= sum;
        return result;
    }
}
