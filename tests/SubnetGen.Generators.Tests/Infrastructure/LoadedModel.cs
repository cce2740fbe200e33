using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace SubnetGen.Generators.Tests.Infrastructure;

internal delegate void PredictFunction(ReadOnlySpan<float> pixels, Span<float> probabilities);

internal delegate int ClassifyFunction(ReadOnlySpan<float> pixels);

/// <summary>
/// A generated model compiled to a real assembly — the weights embedded as a manifest resource under the
/// artifact's <c>weightsResource</c>, as the SubnetGen package's EmbeddedResource does — loaded into a
/// collectible context and called through delegates (spans cannot go through MethodInfo.Invoke).
/// </summary>
internal sealed class LoadedModel : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LoadedModel(AssemblyLoadContext context, Type type, object instance)
    {
        _context = context;
        Type = type;
        Instance = instance;
        Predict = (PredictFunction)Delegate.CreateDelegate(typeof(PredictFunction), instance, type.GetMethod("Predict")!);
        var classify = type.GetMethod("Classify")!;
        Classify = (ClassifyFunction)typeof(LoadedModel).GetMethod(nameof(BindClassify), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(classify.ReturnType).Invoke(null, new[] { instance, classify })!;
    }

    public Type Type { get; }
    public object Instance { get; }
    public PredictFunction Predict { get; }
    public ClassifyFunction Classify { get; }

    /// <summary>The instance's private arena, to read intermediate tensors (the logits) after a Predict.</summary>
    public float[] Arena => (float[])Type.GetField("_arena", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(Instance)!;

    public static LoadedModel Compile(Compilation compilation, string typeName, string resourceName, byte[] weights)
    {
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe, manifestResources: new[]
        {
            new ResourceDescription(resourceName, () => new MemoryStream(weights), isPublic: true),
        });
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        pe.Position = 0;
        // SubnetGen.Runtime resolves to the test's own copy in the default context.
        var context = new AssemblyLoadContext("generated-" + typeName, isCollectible: true);
        var assembly = context.LoadFromStream(pe);
        var type = assembly.GetType(typeName) ?? throw new InvalidOperationException(typeName + " is not in the generated assembly");
        return new LoadedModel(context, type, Activator.CreateInstance(type)!);
    }

    public object NewInstance() => Activator.CreateInstance(Type)!;

    private delegate TLabel LabelFunction<TLabel>(ReadOnlySpan<float> pixels);

    /// <summary>Binds Classify (returning the generated label enum) as an int-returning delegate, without boxing.</summary>
    private static ClassifyFunction BindClassify<TLabel>(object instance, MethodInfo classify) where TLabel : struct, Enum
    {
        var fn = (LabelFunction<TLabel>)Delegate.CreateDelegate(typeof(LabelFunction<TLabel>), instance, classify);
        return pixels =>
        {
            TLabel label = fn(pixels);
            return System.Runtime.CompilerServices.Unsafe.As<TLabel, int>(ref label);
        };
    }

    public void Dispose() => _context.Unload();
}
