namespace SubnetGen.Runtime;

/// <summary>Activation applied by a kernel after adding the bias (MobileNetV3 definitions).</summary>
public enum Activation
{
    /// <summary>Identity.</summary>
    None = 0,

    /// <summary>max(0, x).</summary>
    Relu = 1,

    /// <summary>x · relu6(x + 3) / 6.</summary>
    HSwish = 2,

    /// <summary>relu6(x + 3) / 6.</summary>
    HSigmoid = 3,
}
