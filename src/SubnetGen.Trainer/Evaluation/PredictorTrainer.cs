using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;
using TorchSharp;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Evaluation;

/// <summary>
/// OFA's accuracy predictor: an MLP (3 hidden layers of 400, ReLU) on the one-hot architecture
/// encoding, trained on measured (config, accuracy) pairs; 20% of the pairs are held out to report
/// RMSE and Kendall's tau.
/// </summary>
internal static class PredictorTrainer
{
    public static PredictorFile Train(SupernetSpec spec, IReadOnlyList<(SubnetConfig Config, double Accuracy)> samples, int seed, int epochs = 500, int hidden = 400)
    {
        if (samples.Count < 10) throw new ArgumentException("The predictor needs at least 10 measured subnets.");
        torch.manual_seed(seed);
        int n = samples.Count, holdOut = Math.Max(2, n / 5), trainCount = n - holdOut, length = ArchitectureEncoding.Length(spec);
        var x = new float[n * length];
        for (int i = 0; i < n; i++) ArchitectureEncoding.Encode(spec, samples[i].Config).CopyTo(x, i * length);
        var y = samples.Select(s => (float)s.Accuracy).ToArray();
        double mean = y.Take(trainCount).Average();
        double std = Math.Sqrt(y.Take(trainCount).Select(v => (v - mean) * (v - mean)).Average());
        if (std < 1e-6) std = 1;

        var net = nn.Sequential(
            nn.Linear(length, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1));
        using var inputs = tensor(x, new long[] { n, length });
        using var targets = ((tensor(y) - mean) / std).view(n, 1);
        using var trainX = inputs.narrow(0, 0, trainCount);
        using var trainY = targets.narrow(0, 0, trainCount);
        var optimizer = optim.Adam(net.parameters(), 1e-3);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(net.forward(trainX), trainY).backward();
            optimizer.step();
        }

        double[] predicted;
        using (no_grad())
        using (var output = net.forward(inputs))
            predicted = output.data<float>().Select(v => v * std + mean).ToArray();
        var heldTrue = y.Skip(trainCount).Select(v => (double)v).ToArray();
        var heldPredicted = predicted.Skip(trainCount).ToArray();
        double rmse = Math.Sqrt(heldTrue.Zip(heldPredicted, (a, b) => (a - b) * (a - b)).Average());
        var validation = new PredictorValidation(rmse, KendallTau(heldTrue, heldPredicted), holdOut);

        var layers = net.children().OfType<TorchSharp.Modules.Linear>().Select(l =>
        {
            var w = l.weight!.detach();
            int outF = (int)w.shape[0], inF = (int)w.shape[1];
            var data = w.data<float>().ToArray();
            var weights = new float[outF, inF];
            for (int o = 0; o < outF; o++) for (int i = 0; i < inF; i++) weights[o, i] = data[o * inF + i];
            return new PredictorLayer(weights, l.bias!.detach().data<float>().ToArray());
        }).ToArray();
        return PredictorFile.Mlp(layers, std, mean, validation);
    }

    /// <summary>Kendall's tau-a: (concordant − discordant) / pairs.</summary>
    public static double KendallTau(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        long concordant = 0, discordant = 0, pairs = 0;
        for (int i = 0; i < a.Count; i++)
            for (int j = i + 1; j < a.Count; j++, pairs++)
            {
                double s = Math.Sign(a[i] - a[j]) * Math.Sign(b[i] - b[j]);
                if (s > 0) concordant++;
                else if (s < 0) discordant++;
            }
        return pairs == 0 ? 0 : (double)(concordant - discordant) / pairs;
    }
}
