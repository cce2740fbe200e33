using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using SubnetGen.Runtime;

namespace SubnetGen.Generators.Tests.Infrastructure;

internal delegate void PredictFunction(ReadOnlySpan<float> pixels, Span<float> probabilities);

internal delegate int ClassifyFunction(ReadOnlySpan<float> pixels);

internal delegate void PredictImageFunction(ReadOnlySpan<byte> pixels, int width, int height, int rowStride, PixelFormat format, Span<float> probabilities);

internal delegate int ClassifyImageFunction(ReadOnlySpan<byte> pixels, int width, int height, int rowStride, PixelFormat format);

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
        Predict = (PredictFunction)Delegate.CreateDelegate(typeof(PredictFunction), instance, type.GetMethod("Predict", FloatInput.Append(typeof(Span<float>)).ToArray())!);
        var classify = type.GetMethod("Classify", FloatInput)!;
        Classify = (ClassifyFunction)typeof(LoadedModel).GetMethod(nameof(BindClassify), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(classify.ReturnType).Invoke(null, new[] { instance, classify })!;
        PredictImage = (PredictImageFunction)Delegate.CreateDelegate(typeof(PredictImageFunction), instance, type.GetMethod("Predict", ImageArguments.Append(typeof(Span<float>)).ToArray())!);
        var classifyImage = type.GetMethod("Classify", ImageArguments)!;
        ClassifyImage = (ClassifyImageFunction)typeof(LoadedModel).GetMethod(nameof(BindClassifyImage), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(classifyImage.ReturnType).Invoke(null, new[] { instance, classifyImage })!;
    }

    private static readonly Type[] FloatInput = { typeof(ReadOnlySpan<float>) };
    private static readonly Type[] ImageArguments = { typeof(ReadOnlySpan<byte>), typeof(int), typeof(int), typeof(int), typeof(PixelFormat) };

    public Type Type { get; }
    public object Instance { get; }
    public PredictFunction Predict { get; }
    public ClassifyFunction Classify { get; }
    public PredictImageFunction PredictImage { get; }
    public ClassifyImageFunction ClassifyImage { get; }

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

    private delegate TLabel ImageLabelFunction<TLabel>(ReadOnlySpan<byte> pixels, int width, int height, int rowStride, PixelFormat format);

    private static ClassifyImageFunction BindClassifyImage<TLabel>(object instance, MethodInfo classify) where TLabel : struct, Enum
    {
        var fn = (ImageLabelFunction<TLabel>)Delegate.CreateDelegate(typeof(ImageLabelFunction<TLabel>), instance, classify);
        return (pixels, width, height, rowStride, format) =>
        {
            TLabel label = fn(pixels, width, height, rowStride, format);
            return System.Runtime.CompilerServices.Unsafe.As<TLabel, int>(ref label);
        };
    }

    public void Dispose() => _context.Unload();
}
