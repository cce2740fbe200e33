using SubnetGen.Runtime;

namespace SubnetGen.Runtime.Tests;

public class ActivationTests
{
    [Theory]
    [InlineData(-2f, 0f)]
    [InlineData(0f, 0f)]
    [InlineData(0.5f, 0.5f)]
    [InlineData(7f, 7f)]
    public void Relu(float x, float expected) => Assert.Equal(expected, Activations.Relu(x));

    [Theory]
    [InlineData(-4f, 0f)]
    [InlineData(-3f, 0f)]
    [InlineData(-1f, -1f / 3f)]
    [InlineData(0f, 0f)]
    [InlineData(1f, 2f / 3f)]
    [InlineData(3f, 3f)]
    [InlineData(10f, 10f)]
    public void HSwish(float x, float expected) => Assert.Equal(expected, Activations.HSwish(x), 6);

    [Theory]
    [InlineData(-5f, 0f)]
    [InlineData(-3f, 0f)]
    [InlineData(0f, 0.5f)]
    [InlineData(1.5f, 0.75f)]
    [InlineData(3f, 1f)]
    [InlineData(100f, 1f)]
    public void HSigmoid(float x, float expected) => Assert.Equal(expected, Activations.HSigmoid(x), 6);

    [Fact]
    public void Apply_dispatches_on_the_enum()
    {
        Assert.Equal(-2f, Activations.Apply(-2f, Activation.None));
        Assert.Equal(0f, Activations.Apply(-2f, Activation.Relu));
        Assert.Equal(-1f / 3f, Activations.Apply(-1f, Activation.HSwish), 6);
        Assert.Equal(0.5f, Activations.Apply(0f, Activation.HSigmoid), 6);
    }

    [Fact]
    public void Apply_span_in_place_matches_scalar_values()
    {
        float[] values = { -4f, -3f, -1f, 0f, 1f, 1.5f, 3f, 10f, -0.25f, 2.5f, 6f };
        foreach (Activation act in new[] { Activation.None, Activation.Relu, Activation.HSwish, Activation.HSigmoid })
        {
            float[] data = (float[])values.Clone();
            Activations.Apply(data, act);
            for (int i = 0; i < values.Length; i++)
                Assert.Equal(Reference.Act(values[i], act), data[i], 6);
        }
    }

    [Fact]
    public void Enum_values_are_the_contract()
    {
        Assert.Equal(0, (int)Activation.None);
        Assert.Equal(1, (int)Activation.Relu);
        Assert.Equal(2, (int)Activation.HSwish);
        Assert.Equal(3, (int)Activation.HSigmoid);
    }
}
