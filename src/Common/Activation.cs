// One definition of the activations, compiled into SubnetGen.Runtime (public: generated code names it) and into
// the source generator (internal, in the generator's own namespace so a project that sees both never finds two).
#if BUILDING_SOURCE_GENERATOR
namespace SubnetGen.Generators.Model;
#else
namespace SubnetGen.Runtime;
#endif

/// <summary>Activation applied by a kernel after adding the bias (MobileNetV3 definitions).</summary>
#if BUILDING_SOURCE_GENERATOR
internal
#else
public
#endif
enum Activation
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
