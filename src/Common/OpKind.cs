// One definition of the layer kinds, compiled into SubnetGen.Core (public) and into the source generator
// (internal, in the generator's own namespace).
#if BUILDING_SOURCE_GENERATOR
namespace SubnetGen.Generators.Model;
#else
namespace SubnetGen.Core.Graph;
#endif

/// <summary>The operations a lowered subnet is made of; each maps to one SubnetGen.Runtime kernel.</summary>
#if BUILDING_SOURCE_GENERATOR
internal
#else
public
#endif
enum OpKind
{
    /// <summary>Pixels in [0,1] → (x − mean) / std, into the first arena tensor.</summary>
    Normalize,
    /// <summary>Full k×k convolution (the stem), folded BN, activation.</summary>
    Conv,
    /// <summary>Depthwise k×k convolution, folded BN, activation.</summary>
    Depthwise,
    /// <summary>1×1 convolution, folded BN, activation, optional identity residual added after.</summary>
    Pointwise,
    /// <summary>Squeeze-excite, in place on its input, with a scratch tensor.</summary>
    SqueezeExcite,
    /// <summary>Global average pooling to 1×1.</summary>
    GlobalAveragePool,
    /// <summary>Fully connected layer on a 1×1 tensor (feature mix, classifier).</summary>
    Linear,
    /// <summary>Softmax of the logits into the caller's probability span.</summary>
    Softmax,
}
