using System;
using System.Reflection;
using SubnetGen.Runtime;

namespace SubnetGen.Runtime.Tests;

public class ModelWeightsTests
{
    private static readonly Assembly TestAssembly = typeof(ModelWeightsTests).Assembly;

    [Fact]
    public void Round_trips_an_embedded_little_endian_resource()
    {
        float[] weights = ModelWeights.LoadEmbedded(TestAssembly, "Test.weights37.bin", 37);
        Assert.Equal(37, weights.Length);
        for (int i = 0; i < 37; i++)
            Assert.Equal(i * 0.25f - 3f, weights[i]);
    }

    [Fact]
    public void Each_call_returns_a_new_array()
    {
        float[] a = ModelWeights.LoadEmbedded(TestAssembly, "Test.weights37.bin", 37);
        float[] b = ModelWeights.LoadEmbedded(TestAssembly, "Test.weights37.bin", 37);
        Assert.NotSame(a, b);
        a[0] = 99f;
        Assert.Equal(-3f, b[0]);
    }

    [Fact]
    public void Missing_resource_names_resource_assembly_and_what_is_there()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ModelWeights.LoadEmbedded(TestAssembly, "Nope.weights.bin", 37));
        Assert.Contains("'Nope.weights.bin'", e.Message);
        Assert.Contains("SubnetGen.Runtime.Tests", e.Message);
        Assert.Contains("Test.weights37.bin", e.Message);
    }

    [Theory]
    [InlineData("Test.weights37.bin", 36, "148 bytes; expected 144")]
    [InlineData("Test.weights37.bin", 38, "148 bytes; expected 152")]
    [InlineData("Test.truncated.bin", 2, "10 bytes; expected 8")]
    public void Wrong_length_names_resource_assembly_and_sizes(string name, int floats, string sizes)
    {
        var e = Assert.Throws<InvalidOperationException>(() => ModelWeights.LoadEmbedded(TestAssembly, name, floats));
        Assert.Contains($"'{name}'", e.Message);
        Assert.Contains("SubnetGen.Runtime.Tests", e.Message);
        Assert.Contains(sizes, e.Message);
    }

    [Fact]
    public void Bad_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => ModelWeights.LoadEmbedded(null!, "x", 1));
        Assert.Throws<ArgumentNullException>(() => ModelWeights.LoadEmbedded(TestAssembly, null!, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelWeights.LoadEmbedded(TestAssembly, "Test.weights37.bin", -1));
    }
}
