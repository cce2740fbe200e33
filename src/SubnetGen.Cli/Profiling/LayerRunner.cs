using System;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Ops;

namespace SubnetGen.Cli.Profiling;

/// <summary>
/// One layer shape (a <see cref="LayerKey"/>) as the call a generated model makes: the op's kernel
/// (<see cref="OpRules.Run"/>) with buffers of the sizes its rules give and seeded random data. Latency does not
/// depend on the values, except that they must stay normal floats: an in-place op (squeeze-excite) gets +8 in its
/// last weight slot, the gate's bias, so h-sigmoid saturates at exactly 1 and repeated calls leave the data unchanged.
/// </summary>
public static class LayerRunner
{
    public static Action Prepare(LayerKey key, int seed)
    {
        var random = new Random(seed);
        var rules = key.Rules;
        var input = Values(random, key.Input.Length, 0f, 1f);
        // Normalisation per input channel: only normalize reads them.
        var mean = Values(random, key.Input.Channels, 0.2f, 0.4f);
        var std = Values(random, key.Input.Channels, 0.2f, 0.4f);
        var slots = rules.WeightSlots(key);
        var weights = new float[slots.Length][];
        for (int s = 0; s < slots.Length; s++)
            weights[s] = rules.InPlace && s == slots.Length - 1 ? Values(random, slots[s], 8f, 8f) : Values(random, slots[s], -0.1f, 0.1f);
        var output = rules.InPlace ? input : new float[rules.OutputShape(key).Length];
        var residual = key.Residual ? Values(random, output.Length, -1f, 1f) : Array.Empty<float>();
        var scratch = new float[rules.ScratchLength(key)];
        float[] Slot(int s) => s < weights.Length ? weights[s] : Array.Empty<float>();
        var (w, b, w2, b2) = (Slot(0), Slot(1), Slot(2), Slot(3));
        return () => rules.Run(key, new LayerBuffers
        {
            Input = input, Output = output, Residual = residual, Scratch = scratch,
            Weights = w, Bias = b, Weights2 = w2, Bias2 = b2, Mean = mean, Std = std,
        });
    }

    private static float[] Values(Random random, int count, float low, float high)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = low + (high - low) * (float)random.NextDouble();
        return values;
    }
}
