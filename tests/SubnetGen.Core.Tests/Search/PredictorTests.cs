using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Search;

public class PredictorTests
{
    private static readonly SupernetSpec Ofa = DefaultSupernets.FashionMnist(Family.Ofa);

    [Fact]
    public void MlpComputesReluLayersThenScaleAndOffset()
    {
        int n = ArchitectureEncoding.Length(Ofa); // 5 stages × 4 slots × (3 kernels + 3 expands) = 120
        var first = new float[3, n];
        for (int i = 0; i < n; i++)
        {
            first[0, i] = 1f;          // counts the ones: 2 per active block
            first[1, i] = -1f;         // always negative → ReLU → 0
            first[2, i] = i < 6 ? 0.5f : 0f; // stage 1 block 1's slot only: 1.0 for an active block
        }
        var second = new float[1, 3] { { 0.25f, 100f, 2f } };
        var predictor = new MlpPredictor(Ofa, new List<(float[,], float[])>
        {
            (first, new[] { 1f, -0.5f, 0f }),
            (second, new[] { 0.125f }),
        }, scale: 0.1, offset: 0.5);

        // 2 + 3 + 2 + 2 + 4 = 13 blocks → 26 ones.
        var config = SubnetConfig.Parse("k3e3,k5e4|k7e6,k7e6,k7e6|k3e3,k3e3|k3e3,k3e3|k3e4,k5e4,k7e4,k3e6");
        double raw = 0.25 * (26 + 1) + 100 * 0 + 2 * 1.0 + 0.125;
        Assert.Equal(raw * 0.1 + 0.5, predictor.Predict(config), 5);
        Assert.Equal(120, predictor.InputLength);
    }

    /// <summary>Layers of 37 and 19 outputs, then one, with seeded weights in [−0.5, 0.5); scale 0.05, offset 0.8.</summary>
    private static (List<(float[,] W, float[] B)> Layers, MlpPredictor Predictor) RandomMlp(System.Random random)
    {
        int n = ArchitectureEncoding.Length(Ofa);
        float[,] Matrix(int rows, int cols) { var m = new float[rows, cols]; for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[r, c] = (float)(random.NextDouble() - 0.5); return m; }
        float[] Vec(int len) => Enumerable.Range(0, len).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var layers = new List<(float[,] W, float[] B)> { (Matrix(37, n), Vec(37)), (Matrix(19, 37), Vec(19)), (Matrix(1, 19), Vec(1)) };
        return (layers, new MlpPredictor(Ofa, layers, 0.05, 0.8));
    }

    private static SubnetConfig RandomConfig(System.Random random) =>
        new(Enumerable.Range(0, 5).Select(Ofa.Space.StageChoices).Select(c => c[random.Next(c.Count)]).ToArray());

    [Fact]
    public void MlpMatchesANaiveForwardPassOnRandomWeights()
    {
        var random = new System.Random(3);
        var (layers, predictor) = RandomMlp(random);

        for (int t = 0; t < 20; t++)
        {
            var config = RandomConfig(random);
            double[] x = ArchitectureEncoding.Encode(Ofa, config).Select(v => (double)v).ToArray();
            for (int l = 0; l < layers.Count; l++)
            {
                var (w, b) = layers[l];
                var y = new double[b.Length];
                for (int o = 0; o < y.Length; o++)
                {
                    y[o] = b[o];
                    for (int i = 0; i < x.Length; i++) y[o] += w[o, i] * x[i];
                    if (l < layers.Count - 1 && y[o] < 0) y[o] = 0;
                }
                x = y;
            }
            Assert.Equal(x[0] * 0.05 + 0.8, predictor.Predict(config), 4);
        }
    }

    [Fact]
    public void MlpGivesTheSameBitsWhateverTheMachinesSimdWidth()
    {
        // Widths 37 and 19 are no multiple of any vector width, so some outputs go through the vector loop and the
        // rest through the scalar tail, and which ones depends on the CPU. Both must add in one order: the reference
        // below, plain floats: per group of four non-zero inputs y + (a·w0 + b·w1 + c·w2 + d·w3), the products summed left to right.
        var random = new System.Random(5);
        var (layers, predictor) = RandomMlp(random);

        for (int t = 0; t < 50; t++)
        {
            var config = RandomConfig(random);
            float[] x = ArchitectureEncoding.Encode(Ofa, config);
            for (int l = 0; l < layers.Count; l++)
            {
                var (w, b) = layers[l];
                var y = (float[])b.Clone();
                int[] nonZero = Enumerable.Range(0, x.Length).Where(i => x[i] != 0f).ToArray();
                int j = 0;
                for (; j + 4 <= nonZero.Length; j += 4)
                    for (int o = 0; o < y.Length; o++)
                    {
                        float products = x[nonZero[j]] * w[o, nonZero[j]] + x[nonZero[j + 1]] * w[o, nonZero[j + 1]];
                        products += x[nonZero[j + 2]] * w[o, nonZero[j + 2]];
                        products += x[nonZero[j + 3]] * w[o, nonZero[j + 3]];
                        y[o] += products;
                    }
                for (; j < nonZero.Length; j++)
                    for (int o = 0; o < y.Length; o++) y[o] += x[nonZero[j]] * w[o, nonZero[j]];
                if (l < layers.Count - 1) for (int o = 0; o < y.Length; o++) if (y[o] < 0f) y[o] = 0f;
                x = y;
            }
            Assert.Equal(x[0] * 0.05 + 0.8, predictor.Predict(config));
        }
    }

    [Fact]
    public void MlpThatDoesNotFitTheEncodingIsRefused()
    {
        var wrongInput = new List<(float[,], float[])> { (new float[4, 7], new float[4]), (new float[1, 4], new float[1]) };
        var e = Assert.Throws<SubnetGenException>(() => new MlpPredictor(Ofa, wrongInput, 1, 0));
        Assert.Equal(DiagnosticCodes.PredictorShapeMismatch, e.Diagnostic.Code);
        Assert.Contains("120", e.Diagnostic.Message);

        var twoOutputs = new List<(float[,], float[])> { (new float[2, 120], new float[2]) };
        Assert.Equal(DiagnosticCodes.PredictorShapeMismatch, Assert.Throws<SubnetGenException>(() => new MlpPredictor(Ofa, twoOutputs, 1, 0)).Diagnostic.Code);

        var brokenChain = new List<(float[,], float[])> { (new float[4, 120], new float[4]), (new float[1, 5], new float[1]) };
        Assert.Equal(DiagnosticCodes.PredictorShapeMismatch, Assert.Throws<SubnetGenException>(() => new MlpPredictor(Ofa, brokenChain, 1, 0)).Diagnostic.Code);
    }

    [Fact]
    public void TableReturnsExactEntriesAndRefusesUnknownArchitectures()
    {
        var table = new TablePredictor(new Dictionary<string, double> { ["k3e3,k3e3|k5e3,k5e3|k3e3,k3e3|k3e3,k3e3|k5e3,k5e3"] = 0.8125 });

        Assert.Equal(0.8125, table.Predict(SubnetConfig.Parse("k3e3,k3e3|k5e3,k5e3|k3e3,k3e3|k3e3,k3e3|k5e3,k5e3")));
        var e = Assert.Throws<SubnetGenException>(() => table.Predict(SubnetConfig.Parse("k3e4,k3e4,k3e4|k5e3,k5e3|k3e3,k3e3|k3e3,k3e3|k5e3,k5e3")));
        Assert.Equal(DiagnosticCodes.ArchitectureNotInPredictorTable, e.Diagnostic.Code);
        Assert.Contains("k3e4,k3e4,k3e4|", e.Diagnostic.Message);
    }
}
