namespace SubnetGen.Core.Space;

/// <summary>Nonlinearities of MobileNetV3-style networks. Names are the JSON spelling (lower case).</summary>
public enum Activation
{
    None = 0,
    Relu = 1,
    HSwish = 2,
    HSigmoid = 3,
}
