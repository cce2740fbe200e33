using System;
using System.IO;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.IO;

namespace SubnetGen.Core.Artifact;

/// <summary>The two files a build hands to the generator, as written.</summary>
public sealed record ArtifactFiles(string JsonPath, string WeightsPath);

/// <summary>
/// Writes <c>&lt;Model&gt;.subnet.json</c> and <c>&lt;Model&gt;.weights.bin</c> (raw float32 LE) into a folder,
/// each through a temporary file and a rename. Same artifact and weights → byte-identical files.
/// The weights are written first, so a JSON that exists always has its weights beside it.
/// </summary>
public static class SubnetArtifactWriter
{
    public static ArtifactFiles Write(string directory, SubnetArtifact artifact, float[] weights)
    {
        if (weights.Length != artifact.WeightFloats)
            throw new ArgumentException($"The artifact promises {artifact.WeightFloats} weight floats; {weights.Length} were given.", nameof(weights));
        string jsonPath = Path.Combine(directory, artifact.Name + SubnetArtifact.JsonSuffix);
        string weightsPath = Path.Combine(directory, artifact.WeightsResource);
        AtomicFile.Write(weightsPath, FloatBytes.ToBytes(weights));
        AtomicFile.Write(jsonPath, artifact.ToJson());
        return new ArtifactFiles(jsonPath, weightsPath);
    }
}
