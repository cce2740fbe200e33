using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;

namespace SubnetGen.Cli.Evaluation;

/// <summary>Top-1 accuracy and throughput of one generated model over a labelled image set.</summary>
public sealed record AccuracyResult(int Images, int Correct, TimeSpan Elapsed)
{
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? Images / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Runs a generated model's <c>Predict</c> on every image, one at a time on one thread (batch 1, the
/// way an app calls it), and counts the arg-max that matches the label. A warm-up on the first images
/// comes first so the timed pass runs the JIT's optimised code, not its first tier.
/// </summary>
public static class AccuracyRun
{
    /// <summary>At least this many warm-up calls, and for at least <see cref="WarmUpTime"/>.</summary>
    public const int WarmUpCalls = 64;

    public static readonly TimeSpan WarmUpTime = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// False when SubnetGen.Runtime was compiled without optimisation (a Debug build): its kernels then
    /// run many times slower and images/s says nothing about the shipped code.
    /// </summary>
    public static bool RuntimeIsOptimized =>
        typeof(SubnetGen.Runtime.Kernels).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;

    /// <param name="progress">Called with the number of images done, every few images and at the end.</param>
    /// <param name="hits">When given (one per image), whether each image was classified right: for paired comparisons of two models.</param>
    public static AccuracyResult Run(GeneratedModel model, IReadOnlyList<float[]> images, IReadOnlyList<int> labels, Action<int>? progress = null, bool[]? hits = null)
    {
        if (hits is not null && hits.Length != images.Count) throw new ArgumentException($"{hits.Length} hit slots for {images.Count} images.", nameof(hits));
        if (images.Count != labels.Count) throw new ArgumentException($"{images.Count} images but {labels.Count} labels.", nameof(labels));
        var probabilities = new float[model.ClassCount];
        if (images.Count == 0) return new AccuracyResult(0, 0, TimeSpan.Zero);

        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < WarmUpCalls || (warmUp.Elapsed < WarmUpTime && i < 100 * WarmUpCalls); i++)
            model.Predict(images[i % images.Count], probabilities);

        int correct = 0, every = Math.Max(1, images.Count / 100);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < images.Count; i++)
        {
            model.Predict(images[i], probabilities);
            bool hit = GeneratedModel.ArgMax(probabilities) == labels[i];
            if (hit) correct++;
            if (hits is not null) hits[i] = hit;
            if (progress is not null && (i + 1) % every == 0) progress(i + 1);
        }
        clock.Stop();
        progress?.Invoke(images.Count);
        return new AccuracyResult(images.Count, correct, clock.Elapsed);
    }
}
