using SubnetGen.Core.Space;

namespace SubnetGen.Core.Search;

/// <summary>Predicted top-1 accuracy in [0,1] of a subnet config, without running it.</summary>
public interface IAccuracyPredictor
{
    double Predict(SubnetConfig config);
}
