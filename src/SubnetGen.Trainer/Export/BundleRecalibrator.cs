using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Model;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Export;

/// <summary>
/// <c>bnstats.safetensors</c> for an existing bundle: every config's BN statistics, exactly as
/// <see cref="SubnetEvaluator.Recalibrate"/> computes them during export (reset, training-mode forward over the
/// calibration images in the same batches with momentum 1/i, no gradients), but sharing work between configs.
/// A BN in stage s only sees the output of stages before it, so configs are visited as a tree of stage
/// prefixes: the stem and first block run once, each distinct stage-1 choice once, each distinct
/// (stage-1, stage-2) prefix once, … and only the head runs once per config. Every batch goes through the
/// same operations on the same inputs as in a whole-network forward, so the statistics are the same.
/// Holds one level's activations of every calibration image in memory (for Fashion-MNIST and 1000
/// images about 50 MB at the stem).
/// </summary>
internal static class BundleRecalibrator
{
    /// <summary>The supernet of <paramref name="bundle"/> as a TorchSharp module (weights and stored statistics from the bundle).</summary>
    public static ElasticSupernet Model(SupernetBundle bundle, Device device)
    {
        var model = new ElasticSupernet(bundle.Spec, device, 0);
        SupernetState.ImportFromBundle(model, bundle.Tensors);
        return model;
    }

    /// <summary><c>calibration.bin</c> as the trainer's image set (the same bytes the run recalibrated with).</summary>
    public static ImageSet Calibration(SupernetBundle bundle)
    {
        var set = bundle.Calibration;
        return new ImageSet(set.Images, set.Labels, set.Height, set.Width, set.Channels, bundle.Manifest.Labels);
    }

    /// <summary>Recalibrated statistics of every config in <paramref name="configs"/>; the model's own running statistics are restored afterwards.</summary>
    /// <param name="done">Called after each config with (configs done, total, that config).</param>
    public static BatchNormStatisticsFile Compute(ElasticSupernet model, ImageSet calibration, IEnumerable<SubnetConfig> configs, int batchSize,
        Action<int, int, SubnetConfig>? done = null)
    {
        if (calibration.Count == 0) throw new InvalidOperationException("There are no calibration images to recalibrate BN on.");
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be positive.");
        var list = configs.Distinct().ToList();
        var walk = new Walk(model, calibration, batchSize, list.Count, done);
        // Each resolution is its own tree: the stem sees other images at another resolution.
        var byResolution = list.GroupBy(c => c.Resolution).OrderBy(g => g.Key ?? 0).ToList();
        var saved = model.BatchNorms().SelectMany(bn => new[] { bn.RunningMean, bn.RunningVar }).Select(t => (Target: t, Copy: t.clone())).ToList();
        try
        {
            using var _ = no_grad();
            foreach (var group in byResolution) walk.Run(group.ToList());
        }
        finally
        {
            using var _ = no_grad();
            foreach (var (target, copy) in saved)
            {
                target.copy_(copy);
                copy.Dispose();
            }
        }
        return new BatchNormStatisticsFile(walk.Result, calibration.Count);
    }

    private sealed class Walk
    {
        private readonly ElasticSupernet _model;
        private readonly ImageSet _calibration;
        private readonly int _batchSize, _total;
        private readonly Action<int, int, SubnetConfig>? _done;
        private readonly Dictionary<string, DynamicBatchNorm> _batchNorms;
        private int _finished;

        public Walk(ElasticSupernet model, ImageSet calibration, int batchSize, int total, Action<int, int, SubnetConfig>? done)
        {
            _model = model;
            _calibration = calibration;
            _batchSize = batchSize;
            _total = total;
            _done = done;
            _batchNorms = SubnetEvaluator.BatchNormsByName(model);
        }

        public SortedDictionary<string, IReadOnlyDictionary<string, BatchNormStatistics>> Result { get; } = new(StringComparer.Ordinal);

        public void Run(IReadOnlyList<SubnetConfig> configs)
        {
            var known = new Dictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
            string[] stem = { "stem.bn", "first.dw.bn", "first.project.bn" };
            var inputs = Calibrated(stem, (i, batch) =>
            {
                var (images, labels) = BatchMaker.Make(_calibration, BatchMaker.Range(i * _batchSize, Math.Min(_batchSize, _calibration.Count - i * _batchSize)), _model.Device,
                    size: _model.Spec.InputSize(configs[0]));
                labels.Dispose();
                return _model.ForwardStem(images, batch);
            }, known);
            try { Visit(0, configs, inputs, known); }
            finally { Dispose(inputs); }
        }

        private int Batches => (_calibration.Count + _batchSize - 1) / _batchSize;

        /// <summary>Configs sharing stages 0..stage-1, whose stage-<paramref name="stage"/> inputs (one per batch) are <paramref name="inputs"/>.</summary>
        private void Visit(int stage, IReadOnlyList<SubnetConfig> configs, IReadOnlyList<Tensor> inputs, Dictionary<string, BatchNormStatistics> known)
        {
            var spec = _model.Spec;
            if (stage == spec.Stages.Count)
            {
                var head = new Dictionary<string, BatchNormStatistics>(known, StringComparer.Ordinal);
                Dispose(Calibrated(new[] { "head.final_expand.bn" }, (i, batch) => _model.ForwardHead(inputs[i], batch), head));
                foreach (var config in configs) // one, unless the caller passed equal configs
                {
                    var entry = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
                    foreach (var bn in SubnetExtractor.ActiveBatchNorms(spec, config))
                        entry[bn.Name] = new BatchNormStatistics(head[bn.Name].RunningMean.Take(bn.Channels).ToArray(), head[bn.Name].RunningVar.Take(bn.Channels).ToArray());
                    Result[config.ToString()] = entry;
                    _done?.Invoke(++_finished, _total, config);
                }
                return;
            }
            foreach (var group in configs.GroupBy(c => string.Join(",", c.Stages[stage]), StringComparer.Ordinal))
            {
                var blocks = group.First().Stages[stage];
                var names = Enumerable.Range(0, blocks.Count)
                    .SelectMany(b => new[] { ".expand.bn", ".dw.bn", ".project.bn" }.Select(n => SupernetTensors.BlockPrefix(stage, b) + n)).ToArray();
                var next = new Dictionary<string, BatchNormStatistics>(known, StringComparer.Ordinal);
                var outputs = Calibrated(names, (i, batch) => _model.ForwardStage(stage, blocks, inputs[i], batch), next);
                try { Visit(stage + 1, group.ToList(), outputs, next); }
                finally { Dispose(outputs); }
            }
        }

        /// <summary>
        /// Resets the BNs <paramref name="names"/>, runs <paramref name="forward"/> on every calibration batch i with
        /// momentum 1/(i+1) (OFA's cumulative average), and adds their full running statistics to <paramref name="into"/>.
        /// Returns each batch's output, kept beyond any dispose scope (the caller disposes them).
        /// </summary>
        private List<Tensor> Calibrated(IReadOnlyList<string> names, Func<int, BatchNormMode, Tensor> forward, Dictionary<string, BatchNormStatistics> into)
        {
            foreach (var name in names) _batchNorms[name].ResetStatistics();
            var outputs = new List<Tensor>(Batches);
            for (int i = 0; i < Batches; i++)
            {
                using var scope = NewDisposeScope();
                outputs.Add(forward(i, BatchNormMode.Calibrate(i + 1)).DetachFromDisposeScope());
            }
            foreach (var name in names)
            {
                var bn = _batchNorms[name];
                int channels = (int)bn.RunningMean.shape[0];
                into[name] = new BatchNormStatistics(SubnetEvaluator.Values(bn.RunningMean, channels), SubnetEvaluator.Values(bn.RunningVar, channels));
            }
            return outputs;
        }

        private static void Dispose(IEnumerable<Tensor> tensors)
        {
            foreach (var t in tensors) t.Dispose();
        }
    }
}
