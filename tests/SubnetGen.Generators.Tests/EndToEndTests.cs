using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Space;
using SubnetGen.Generators.Tests.Infrastructure;
using SubnetGen.TestSupport;

namespace SubnetGen.Generators.Tests;

/// <summary>
/// The whole path with real numbers: random supernet → Core extraction → artifact → generator → compiled
/// assembly with the weights embedded → Predict, compared to the independent plain-loop
/// <see cref="ReferenceForward"/> on seeded random images and real Fashion-MNIST test images.
/// </summary>
public sealed class EndToEndTests
{
    private const float Tolerance = 1e-4f;

    public static TheoryData<Family, string> Configs()
    {
        var data = new TheoryData<Family, string>();
        var random = new Random(20240611);
        foreach (var family in new[] { Family.CompOfa, Family.Ofa })
        {
            data.Add(family, Artifacts.Smallest(family).ToString());
            data.Add(family, Artifacts.Largest(family).ToString());
            for (int i = 0; i < 3; i++) data.Add(family, Artifacts.RandomConfig(family, random).ToString());
        }
        // MOOFA's wider late stages: its extremes only.
        data.Add(Family.MoOfa, Artifacts.Smallest(Family.MoOfa).ToString());
        data.Add(Family.MoOfa, Artifacts.Largest(Family.MoOfa).ToString());
        return data;
    }

    private static float[][] Images()
    {
        var random = new Random(7);
        var noise = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 784).Select(_ => (float)random.NextDouble()).ToArray());
        return noise.Concat(FashionMnist.TestImages(4)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void GeneratedModelMatchesTheReferenceForwardPass(Family family, string config)
    {
        var built = Artifacts.Build(family, SubnetConfig.Parse(config));
        var run = GeneratorHarness.Run(built.Json, rootNamespace: "EndToEnd");
        Assert.Empty(run.GeneratorDiagnostics);
        using var model = LoadedModel.Compile(run.Output, "EndToEnd.FashionClassifier", built.Artifact.WeightsResource, built.WeightBytes);
        var logitsSlice = built.Artifact.Layers[^1].Input!;

        foreach (var pixels in Images())
        {
            var probabilities = new float[10];
            model.Predict(pixels, probabilities);
            var logits = model.Arena.AsSpan(logitsSlice.Offset, logitsSlice.Length).ToArray();

            // One buffer per tensor (independent of the arena plan) and the artifact's own arena layout.
            var byTensor = ReferenceForward.Run(built.Subnet.Graph, built.Subnet.Layout, built.Subnet.Weights, pixels);
            var byArena = ReferenceForward.Run(built.Artifact, built.Subnet.Weights, pixels);

            AssertClose(byTensor.Probabilities, probabilities, 1f, "probabilities");
            AssertClose(byArena.Probabilities, probabilities, 1f, "probabilities (arena reference)");
            // Softmax of a random net can saturate and hide errors: the logits must match too, relative to their size.
            float scale = Math.Max(1f, byTensor.Logits.Max(Math.Abs));
            AssertClose(byTensor.Logits, logits, scale, "logits");
            Assert.Equal(ArgMax(byTensor.Probabilities), model.Classify(pixels));
        }
    }

    private static void AssertClose(float[] expected, float[] actual, float scale, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= Tolerance * scale, $"{what}: max abs diff {worst:G6} > {Tolerance * scale:G6}");
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    [Fact]
    public void WrongSizedSpansThrowNamingTheExpectedSize()
    {
        var built = Artifacts.Small;
        using var model = LoadedModel.Compile(GeneratorHarness.Run(built.Json).Output, "App.FashionClassifier", built.Artifact.WeightsResource, built.WeightBytes);

        var pixels = Assert.Throws<ArgumentException>(() => model.Predict(new float[10], new float[10]));
        Assert.Equal("pixels", pixels.ParamName);
        Assert.StartsWith("pixels must have 784 floats (28×28×1); got 10", pixels.Message, StringComparison.Ordinal);

        var probabilities = Assert.Throws<ArgumentException>(() => model.Predict(new float[784], new float[3]));
        Assert.Equal("probabilities", probabilities.ParamName);
        Assert.StartsWith("probabilities must have 10 floats", probabilities.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.Classify(new float[783]));
    }

    [Fact]
    public void PredictAndClassifyAllocateNothing()
    {
        var built = Artifacts.Small;
        using var model = LoadedModel.Compile(GeneratorHarness.Run(built.Json).Output, "App.FashionClassifier", built.Artifact.WeightsResource, built.WeightBytes);
        var pixels = new float[784];
        var probabilities = new float[10];
        // The image overloads too: a 97×61 BGRA photo with padded rows (shrunk, cropped, converted to grey) and a small grey one.
        var photo = new byte[(97 * 4 + 3) * 61];
        new Random(1).NextBytes(photo);
        var grey = new byte[17 * 13];
        model.Predict(pixels, probabilities);
        model.Classify(pixels);
        model.PredictImage(photo, 97, 61, 97 * 4 + 3, SubnetGen.Runtime.PixelFormat.Bgra32, probabilities);
        model.ClassifyImage(grey, 17, 13, 17, SubnetGen.Runtime.PixelFormat.Gray8);

        // Rounds of 20 calls until one allocates nothing: an allocation per call shows in every round, while the
        // runtime's one-off work on this thread while it re-compiles hot methods (tiering; 3,048 bytes seen once in
        // a full test run) lands in one round only.
        var rounds = new List<long>();
        for (int round = 0; round < 10 && (rounds.Count == 0 || rounds[^1] != 0); round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                model.Predict(pixels, probabilities);
                model.Classify(pixels);
                model.PredictImage(photo, 97, 61, 97 * 4 + 3, SubnetGen.Runtime.PixelFormat.Bgra32, probabilities);
                model.ClassifyImage(grey, 17, 13, 17, SubnetGen.Runtime.PixelFormat.Gray8);
            }
            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(rounds[^1] == 0, "bytes allocated per round of 20 calls: " + string.Join(", ", rounds));
    }

    [Fact]
    public void InstancesShareTheWeightsButNotTheArena()
    {
        var built = Artifacts.Small;
        using var model = LoadedModel.Compile(GeneratorHarness.Run(built.Json).Output, "App.FashionClassifier", built.Artifact.WeightsResource, built.WeightBytes);
        var second = model.NewInstance();
        var weights = model.Type.GetField("_weights", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var arena = model.Type.GetField("_arena", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;

        Assert.Same(weights.GetValue(model.Instance), weights.GetValue(second));
        Assert.NotSame(arena.GetValue(model.Instance), arena.GetValue(second));
        // The arena is exactly the promised peak memory.
        Assert.Equal(built.Cost.PeakMemoryBytes, ((float[])arena.GetValue(second)!).Length * 4L);
        Assert.Equal(built.Subnet.Weights, (float[])weights.GetValue(second)!);
    }

    [Fact]
    public void MissingWeightsResourceFailsEveryConstructionWithItsName()
    {
        var run = GeneratorHarness.Run(Artifacts.Small.Json);
        using var pe = new System.IO.MemoryStream();
        Assert.True(run.Output.Emit(pe).Success);
        pe.Position = 0;
        var context = new System.Runtime.Loader.AssemblyLoadContext("no-weights", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(pe).GetType("App.FashionClassifier")!;
            for (int attempt = 0; attempt < 2; attempt++)
            {
                // The failed load is not cached: a second construction reports the same error, not a stale one.
                var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => Activator.CreateInstance(type));
                var inner = Assert.IsType<InvalidOperationException>(e.InnerException);
                Assert.Contains("FashionClassifier.weights.bin", inner.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            context.Unload();
        }
    }
}
