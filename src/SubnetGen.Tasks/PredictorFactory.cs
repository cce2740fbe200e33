using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Tasks;

/// <summary>predictor.json (data) → the predictor the search calls.</summary>
public static class PredictorFactory
{
    public static IAccuracyPredictor Create(SupernetSpec spec, PredictorFile file, string path) => file.Kind switch
    {
        PredictorFile.MlpKind => new MlpPredictor(spec, file.Layers.Select(l => (l.Weights, l.Bias)).ToList(), file.OutputScale, file.OutputOffset),
        PredictorFile.TableKind => new TablePredictor(file.Entries!),
        _ => throw new SubnetGenException(new Diagnostic(DiagnosticCodes.InternalError,
            $"{path}: predictor kind \"{file.Kind}\" is not one this task knows (mlp, table).", path, 0, 0,
            "use a SubnetGen version that matches the supernet package.")),
    };
}
