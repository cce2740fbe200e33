using System;
using System.Reflection;
using System.Runtime.Loader;
using SubnetGen.Core.Artifact;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Extract;

namespace SubnetGen.Cli.Evaluation;

/// <summary>The generated <c>Predict(ReadOnlySpan&lt;float&gt; pixels, Span&lt;float&gt; probabilities)</c>, bound to one instance.</summary>
public delegate void PredictFunction(ReadOnlySpan<float> pixels, Span<float> probabilities);

/// <summary>
/// A generated model class compiled and loaded by <see cref="GeneratedModelCompiler"/>, with one
/// instance and its <c>Predict</c> bound as a delegate (spans cannot pass through reflection).
/// Not thread-safe, like the instance itself. Dispose unloads the assembly.
/// </summary>
public sealed class GeneratedModel : IDisposable
{
    private readonly AssemblyLoadContext _context;

    internal GeneratedModel(AssemblyLoadContext context, Type type, SubnetArtifact artifact, ExtractedSubnet subnet, SubnetCost cost, string source)
    {
        _context = context;
        Type = type;
        Artifact = artifact;
        Subnet = subnet;
        Cost = cost;
        Source = source;
        try { Instance = Activator.CreateInstance(type)!; }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new GeneratedModelException("The generated model's constructor failed: " + e.InnerException.Message, e.InnerException);
        }
        Predict = (PredictFunction)Delegate.CreateDelegate(typeof(PredictFunction), Instance,
            type.GetMethod("Predict", new[] { typeof(ReadOnlySpan<float>), typeof(Span<float>) })
            ?? throw new GeneratedModelException($"{type.FullName} has no Predict(ReadOnlySpan<float>, Span<float>)."));
    }

    /// <summary>The generated class (<see cref="GeneratedModelCompiler.TypeName"/>).</summary>
    public Type Type { get; }

    /// <summary>The instance <see cref="Predict"/> runs on.</summary>
    public object Instance { get; }

    /// <summary>The artifact the class was generated from (layers, arena and weight slices).</summary>
    public SubnetArtifact Artifact { get; }

    /// <summary>The extracted subnet: graph, weight layout and folded weights.</summary>
    public ExtractedSubnet Subnet { get; }

    /// <summary>The cost model's numbers for the subnet (MACs, parameters, peak memory = the arena).</summary>
    public SubnetCost Cost { get; }

    /// <summary>The generated C# source.</summary>
    public string Source { get; }

    public int InputLength => Artifact.Input is { } i ? i.Height * i.Width * i.Channels : 0;

    public int ClassCount => Artifact.Labels.Count;

    /// <summary>The instance's <c>Predict</c>: pixels in [0, 1], HWC → softmax probabilities.</summary>
    public PredictFunction Predict { get; }

    /// <summary>
    /// The arg-max of <paramref name="probabilities"/>, ties to the lower class — what the generated
    /// <c>Classify</c> returns.
    /// </summary>
    public static int ArgMax(ReadOnlySpan<float> probabilities)
    {
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
            if (probabilities[i] > probabilities[best]) best = i;
        return best;
    }

    public void Dispose() => _context.Unload();
}
