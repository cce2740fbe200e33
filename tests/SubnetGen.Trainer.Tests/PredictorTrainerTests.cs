using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Search;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;
using SubnetGen.Trainer.Commands;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Export;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// The predictor fits (OFA's MLP, ridge regression), their k-fold cross-validation, the choice between them, and
/// <c>subnetgen-train predictor</c> refitting a saved bundle from a <c>predictor-data.tsv</c>. Targets are made
/// from known functions of the config, so what each fit can and cannot learn is known.
/// </summary>
public sealed class PredictorTrainerTests : IDisposable
{
    private static readonly SupernetSpec Spec = TestData.Tiny(Family.Ofa);
    /// <summary>A small MLP (OFA's is 3 × 400 for 500 epochs): the same code, seconds instead of minutes.</summary>
    private static readonly MlpShape Small = new(64, 300);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-predictor-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Distinct random configs of the tiny OFA space, in draw order.</summary>
    private static SubnetConfig[] Configs(int count, int seed)
    {
        var random = new Random(seed);
        var seen = new HashSet<SubnetConfig>();
        var configs = new List<SubnetConfig>();
        while (configs.Count < count)
        {
            var config = RandomSubnets.Sample(Spec.Space, Spec.Stages.Count, random);
            if (seen.Add(config)) configs.Add(config);
        }
        return configs.ToArray();
    }

    /// <summary>0.85 plus a fixed effect per active block's kernel and expand: exactly what ridge regression models.</summary>
    private static double Additive(SubnetConfig config) =>
        0.85 + config.Stages.SelectMany((blocks, s) => blocks.Select((b, i) =>
            0.001 * (s + 1) * (b.KernelSize - 3) + 0.0015 * (i + 1) * (b.ExpandRatio - 3))).Sum();

    /// <summary>
    /// An interaction no additive model holds: +2 points when the first two blocks share a kernel size (which has no
    /// additive part: each kernel matches the other block's a third of the time), plus a tenth of
    /// <see cref="Additive"/> so that accuracies do not tie.
    /// </summary>
    private static double Interaction(SubnetConfig config) =>
        0.88 + (config.Stages[0][0].KernelSize == config.Stages[0][1].KernelSize ? 0.02 : 0) + 0.1 * (Additive(config) - 0.85);

    private static (SubnetConfig Config, double Accuracy)[] Samples(int count, Func<SubnetConfig, double> accuracy, int seed = 1) =>
        Configs(count, seed).Select(c => (c, accuracy(c))).ToArray();

    [Fact]
    public void Ridge_recovers_an_additive_accuracy_and_predicts_unseen_subnets()
    {
        TorchRequirement.Ensure();
        var samples = Samples(120, Additive);
        var validation = PredictorTrainer.CrossValidate(Spec, samples, PredictorKind.Linear, seed: 42);
        Assert.Equal(samples.Length, validation.Subnets);
        Assert.Equal(PredictorTrainer.DefaultFolds, validation.Folds);
        Assert.True(validation.Rmse < 1e-3, $"cross-validated RMSE {validation.Rmse}");
        Assert.True(validation.KendallTau > 0.95, $"Kendall tau {validation.KendallTau}");

        // One dense layer in predictor.json: the build's MlpPredictor runs it unchanged.
        var predictor = PredictorTrainer.Fit(Spec, samples, PredictorKind.Linear, 42);
        Assert.Single(predictor.Layers);
        var read = PredictorFile.Parse(predictor.ToJson(), PredictorFile.FileName).CreatePredictor(Spec);
        foreach (var config in Configs(30, seed: 2).Except(samples.Select(s => s.Item1)))
            Assert.InRange(read.Predict(config) - Additive(config), -1e-4, 1e-4);
    }

    [Fact]
    public void Auto_keeps_the_mlp_when_accuracy_depends_on_an_interaction_ridge_cannot_model()
    {
        TorchRequirement.Ensure();
        var samples = Samples(150, Interaction);
        var (predictor, compared) = PredictorTrainer.Train(Spec, samples, 42, PredictorKind.Auto, mlp: Small);

        Assert.Equal(new[] { PredictorKind.Mlp, PredictorKind.Linear }, compared.Select(c => c.Kind));
        var mlp = compared[0].Validation;
        var linear = compared[1].Validation;
        Assert.True(mlp.KendallTau > linear.KendallTau + 0.2, $"mlp tau {mlp.KendallTau}, linear tau {linear.KendallTau}");
        Assert.Equal(4, predictor.Layers.Count); // 3 hidden layers + output
        Assert.Equal(Small.Hidden, predictor.Layers[0].Outputs);
        Assert.Equal(mlp, predictor.Validation);
    }

    [Fact]
    public void Cross_validation_repeats_for_a_seed_and_needs_two_subnets_per_fold()
    {
        TorchRequirement.Ensure();
        var samples = Samples(40, Interaction);
        // The same seed gives the same folds and the same initialisation (the MLP's own generator: other torch work
        // drawing from the global one in between does not matter, and the fit leaves that one where it was), so the
        // same fit.
        var linear = PredictorTrainer.CrossValidate(Spec, samples, PredictorKind.Linear, 7);
        var linearAgain = PredictorTrainer.CrossValidate(Spec, samples, PredictorKind.Linear, 7);
        Assert.Equal(linear, linearAgain);
        TorchSharp.torch.manual_seed(9);
        var undisturbed = TorchSharp.torch.rand(16).data<float>().ToArray();
        TorchSharp.torch.manual_seed(9);
        var first = PredictorTrainer.CrossValidate(Spec, samples, PredictorKind.Mlp, 7, mlp: Small);
        Assert.Equal(undisturbed, TorchSharp.torch.rand(16).data<float>().ToArray());
        var again = PredictorTrainer.CrossValidate(Spec, samples, PredictorKind.Mlp, 7, mlp: Small);
        Assert.Equal(first, again);
        var error = Assert.Throws<ArgumentException>(() => PredictorTrainer.CrossValidate(Spec, samples.Take(9).ToArray(), PredictorKind.Linear, 7));
        Assert.Contains("at least 10 measured subnets", error.Message);
    }

    [Fact]
    public void Choose_prefers_the_higher_tau_then_the_lower_rmse()
    {
        var mlp = new PredictorComparison(PredictorKind.Mlp, new PredictorValidation(0.002, 0.70, 500, 5));
        var linear = new PredictorComparison(PredictorKind.Linear, new PredictorValidation(0.003, 0.72, 500, 5));
        Assert.Equal(PredictorKind.Linear, PredictorTrainer.Choose(new[] { mlp, linear }).Kind);
        var tiedLinear = linear with { Validation = new PredictorValidation(0.001, 0.70, 500, 5) };
        Assert.Equal(PredictorKind.Linear, PredictorTrainer.Choose(new[] { mlp, tiedLinear }).Kind);
    }

    /// <summary>A saved bundle of the tiny OFA spec (random weights, placeholder predictor) and a predictor-data.tsv.</summary>
    private (string Bundle, string Data) SaveBundleAndData((SubnetConfig Config, double Accuracy)[] rows, string? tail = null)
    {
        string bundle = Path.Combine(_folder, "bundle");
        var labels = Enumerable.Range(0, 10).Select(i => "class" + i).ToArray();
        RandomSupernet.Create(Spec, "SubnetGen.Supernet.Test.OFA", "1.0.0", 3, labels).Save(bundle);
        string data = Path.Combine(_folder, PredictorSamples.FileName);
        var text = new StringBuilder("# subnetgen-train predictor data, key 0123abcd\n");
        for (int i = 0; i < rows.Length; i++)
            text.Append(i).Append('\t').Append(rows[i].Config).Append('\t').Append(rows[i].Accuracy.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(data, text + (tail ?? ""));
        return (bundle, data);
    }

    [Fact]
    public void Predictor_command_refits_the_bundles_predictor_from_measured_subnets()
    {
        TorchRequirement.Ensure();
        var samples = Samples(60, Additive);
        // A line cut short by a killed export is left out, as the export itself does.
        var (bundle, data) = SaveBundleAndData(samples, tail: "60\tk3e3,k3e3|k3");
        var before = File.ReadAllBytes(Path.Combine(bundle, SupernetBundle.WeightsFileName));
        string report = Path.Combine(_folder, "training-report.md");
        File.WriteAllText(report, "# SubnetGen.Supernet.Test.OFA 1.0.0\n\nPredictor: MLP, RMSE 0.0044, Kendall tau 0.526 (100 held-out subnets).\n\n## Epochs\n");
        var log = new List<string>();

        var compareOnly = PredictorCommand.Run(bundle, data, PredictorKind.Auto, 5, 42, write: false, log.Add, Small);
        Assert.Null(compareOnly.Written);
        Assert.True(SupernetBundle.Load(bundle).Predictor.Placeholder); // untouched without --write
        Assert.Contains(log, l => l.Contains("60 measured subnets", StringComparison.Ordinal));

        var written = PredictorCommand.Run(bundle, data, PredictorKind.Linear, 5, 42, write: true, log.Add, version: "1.0.1");
        var saved = SupernetBundle.Load(bundle);
        Assert.Equal("1.0.1", saved.Manifest.Version); // a changed predictor ships under a new package version
        Assert.False(saved.Predictor.Placeholder);
        Assert.Equal(written.Written!.ToJson(), saved.Predictor.ToJson());
        Assert.Equal(new PredictorValidation(written.Compared[0].Validation.Rmse, written.Compared[0].Validation.KendallTau, 60, 5), saved.Predictor.Validation);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(bundle, SupernetBundle.WeightsFileName)));
        Assert.Equal("# SubnetGen.Supernet.Test.OFA 1.0.1\n\n" + PredictorText.ReportLine(saved.Predictor) + "\n\n## Epochs\n", File.ReadAllText(report));
        Assert.StartsWith("Predictor: linear (ridge regression on the one-hot encoding), RMSE ", PredictorText.ReportLine(saved.Predictor));
        Assert.EndsWith("(5-fold cross-validation over 60 measured subnets).", PredictorText.ReportLine(saved.Predictor));
        var predictor = saved.Predictor.CreatePredictor(Spec);
        foreach (var (config, accuracy) in samples) Assert.InRange(predictor.Predict(config) - accuracy, -1e-4, 1e-4);
    }

    [Fact]
    public void Score_against_rates_held_out_predictions_by_another_measurement_of_the_same_subnets()
    {
        TorchRequirement.Ensure();
        // The truth is additive; --data measures it with noise, as a validation set of few images does.
        var noise = new Random(3);
        var exact = Samples(80, Additive);
        var (_, truthPath) = SaveBundleAndData(exact);
        string truth = Path.Combine(_folder, "truth.tsv");
        File.Move(truthPath, truth);
        var noisy = exact.Select(s => (s.Config, s.Accuracy + (noise.NextDouble() - 0.5) * 0.02)).ToArray();
        var (bundle, data) = SaveBundleAndData(noisy);

        var own = PredictorCommand.Run(bundle, data, PredictorKind.Linear, 5, 42, false, _ => { }).Compared[0].Validation;
        var log = new List<string>();
        var against = PredictorCommand.Run(bundle, data, PredictorKind.Linear, 5, 42, false, log.Add, scoreAgainst: truth).Compared[0].Validation;
        Assert.Contains(log, l => l.EndsWith("held-out predictions scored against " + truth, StringComparison.Ordinal));
        // Same fits, other reference: the noise the fit could not know is gone from the error.
        Assert.True(against.Rmse < own.Rmse * 0.8, $"RMSE against the exact accuracies {against.Rmse}, against the noisy ones {own.Rmse}");
        Assert.True(against.KendallTau > own.KendallTau, $"tau {against.KendallTau} vs {own.KendallTau}");
        // Scored against the file it was fitted on, it is the plain cross-validation.
        Assert.Equal(own, PredictorCommand.Run(bundle, data, PredictorKind.Linear, 5, 42, false, _ => { }, scoreAgainst: data).Compared[0].Validation);

        File.WriteAllLines(truth, File.ReadAllLines(truth).Take(40));
        var missing = Assert.Throws<InvalidDataException>(() => PredictorCommand.Run(bundle, data, PredictorKind.Linear, 5, 42, false, _ => { }, scoreAgainst: truth));
        Assert.Contains("has no measurement of", missing.Message);
        Assert.Contains("only compares", Assert.Throws<ArgumentException>(() => PredictorCommand.Run(bundle, data, PredictorKind.Linear, 5, 42, true, _ => { }, scoreAgainst: data)).Message);
    }

    [Fact]
    public void Predictor_command_refuses_rows_of_another_space_and_a_table_bundle()
    {
        var samples = Samples(20, Additive);
        var (bundle, data) = SaveBundleAndData(samples, tail: "20\tk3e3,k3e3,k3e3,k3e3,k3e3|k3e3,k3e3\t0.9\n");
        var error = Assert.Throws<InvalidDataException>(() => PredictorCommand.Run(bundle, data, PredictorKind.Linear, 5, 42, false, _ => { }));
        Assert.Contains("row 20", error.Message);
        Assert.Contains("not a subnet of SubnetGen.Supernet.Test.OFA", error.Message);

        File.WriteAllText(data, "index\tconfig\taccuracy\n");
        var header = Assert.Throws<InvalidDataException>(() => PredictorCommand.Run(bundle, data, PredictorKind.Linear, 5, 42, false, _ => { }));
        Assert.Contains("not a predictor-data.tsv written by subnetgen-train", header.Message);

        var (_, good) = SaveBundleAndData(samples);
        var table = SupernetBundle.Load(bundle);
        table.WithPredictor(PredictorFile.Table(samples.ToDictionary(s => s.Config.ToString(), s => s.Accuracy))).Save(bundle);
        var refused = Assert.Throws<InvalidOperationException>(() => PredictorCommand.Run(bundle, good, PredictorKind.Linear, 5, 42, true, _ => { }));
        Assert.Contains("exact table", refused.Message);

        Assert.Contains("add --write", Assert.Throws<ArgumentException>(() => PredictorCommand.Run(bundle, good, PredictorKind.Linear, 5, 42, false, _ => { }, version: "1.0.1")).Message);
        Assert.Contains("not a NuGet version", Assert.Throws<ArgumentException>(() => PredictorCommand.Run(bundle, good, PredictorKind.Linear, 5, 42, true, _ => { }, version: "one")).Message);
    }
}
