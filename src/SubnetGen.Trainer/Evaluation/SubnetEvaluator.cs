using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Extract;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Model;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Evaluation;

/// <summary>
/// Evaluates subnets the way OFA does: the subnet's BN statistics are recalibrated on calibration
/// images (OFA's set_running_statistics: reset, forward in training mode with a cumulative average,
/// no gradients), then accuracy is measured in eval mode. The supernet's own running statistics are
/// restored afterwards, so evaluating never changes the trained supernet.
/// </summary>
internal sealed class SubnetEvaluator
{
    private readonly ElasticSupernet _model;
    private readonly ImageSet _calibration;
    private readonly int _batchSize;
    private readonly Dictionary<string, DynamicBatchNorm> _batchNorms;

    public SubnetEvaluator(ElasticSupernet model, ImageSet calibration, int batchSize = 500)
    {
        _model = model;
        _calibration = calibration;
        _batchSize = batchSize;
        _batchNorms = BatchNormsByName(model);
    }

    /// <summary>Images each evaluation recalibrates BN on.</summary>
    public int CalibrationImages => _calibration.Count;

    /// <summary>Recalibrates BN for <paramref name="config"/> in place (the caller saves/restores statistics if needed).</summary>
    public void Recalibrate(SubnetConfig config)
    {
        _model.SetActive(config);
        foreach (var bn in _model.BatchNorms()) bn.ResetStatistics();
        using var _ = no_grad();
        int batchIndex = 0;
        for (int start = 0; start < _calibration.Count; start += _batchSize)
        {
            using var scope = NewDisposeScope();
            var (images, _) = BatchMaker.Make(_calibration, BatchMaker.Range(start, Math.Min(_batchSize, _calibration.Count - start)), _model.Device,
                size: _model.Spec.InputSize(config));
            _model.BatchNormOverride = BatchNormMode.Calibrate(++batchIndex);
            try { _model.forward(images); }
            finally { _model.BatchNormOverride = null; }
        }
    }

    /// <summary>Top-1 accuracy of <paramref name="config"/> on <paramref name="set"/> after BN recalibration.</summary>
    public double Accuracy(SubnetConfig config, ImageSet set, bool recalibrate = true) =>
        (double)Correct(config, set, recalibrate).Count(c => c) / set.Count;

    /// <summary>Per image of <paramref name="set"/>, whether <paramref name="config"/> classifies it right (after BN recalibration unless told not to).</summary>
    public bool[] Correct(SubnetConfig config, ImageSet set, bool recalibrate = true)
    {
        var saved = recalibrate ? SaveStatistics() : null;
        try
        {
            if (recalibrate) Recalibrate(config);
            _model.SetActive(config);
            return Correct(_model, set, _batchSize);
        }
        finally
        {
            if (saved is not null) RestoreStatistics(saved);
        }
    }

    /// <summary>
    /// Recalibrated running statistics for <paramref name="config"/>, keyed by BN name (<c>stem.bn</c>,
    /// <c>stages.1.blocks.0.expand.bn</c>, …) as Core's <c>ExtractOptions.BatchNormStatistics</c> and
    /// <c>bnstats.safetensors</c> take them: the active channels of every BN the subnet uses. The supernet's
    /// own statistics are left unchanged.
    /// </summary>
    public SortedDictionary<string, BatchNormStatistics> RecalibratedStatistics(SubnetConfig config)
    {
        var saved = SaveStatistics();
        try
        {
            Recalibrate(config);
            return ActiveStatistics(_model.Spec, config, _batchNorms);
        }
        finally { RestoreStatistics(saved); }
    }

    /// <summary>One recalibration for both: the accuracy on <paramref name="set"/> and the statistics it was measured with.</summary>
    public (double Accuracy, SortedDictionary<string, BatchNormStatistics> Statistics) AccuracyAndStatistics(SubnetConfig config, ImageSet set)
    {
        var saved = SaveStatistics();
        try
        {
            Recalibrate(config);
            var statistics = ActiveStatistics(_model.Spec, config, _batchNorms);
            return (Accuracy(_model, set, _batchSize), statistics);
        }
        finally { RestoreStatistics(saved); }
    }

    /// <summary>Every BN module by its state_dict prefix (<c>stem.bn</c>, …).</summary>
    public static Dictionary<string, DynamicBatchNorm> BatchNormsByName(ElasticSupernet model)
    {
        var result = new Dictionary<string, DynamicBatchNorm>(StringComparer.Ordinal);
        foreach (var (name, module) in model.named_modules())
            if (module is DynamicBatchNorm bn) result[name] = bn;
        return result;
    }

    /// <summary>The current running statistics of the BNs <paramref name="config"/> uses, active channels only (Core's <see cref="SubnetExtractor.ActiveBatchNorms"/>).</summary>
    public static SortedDictionary<string, BatchNormStatistics> ActiveStatistics(SupernetSpec spec, SubnetConfig config, IReadOnlyDictionary<string, DynamicBatchNorm> batchNorms)
    {
        var result = new SortedDictionary<string, BatchNormStatistics>(StringComparer.Ordinal);
        foreach (var active in SubnetExtractor.ActiveBatchNorms(spec, config))
        {
            var bn = batchNorms[active.Name];
            result[active.Name] = new BatchNormStatistics(Values(bn.RunningMean, active.Channels), Values(bn.RunningVar, active.Channels));
        }
        return result;
    }

    /// <summary>The first <paramref name="channels"/> values of a 1-D tensor, on the CPU.</summary>
    public static float[] Values(Tensor vector, int channels)
    {
        using var view = vector.narrow(0, 0, channels);
        using var cpu = view.cpu();
        return cpu.data<float>().ToArray();
    }

    public static double Accuracy(ElasticSupernet model, ImageSet set, int batchSize) =>
        (double)Correct(model, set, batchSize).Count(c => c) / set.Count;

    /// <summary>Per image of <paramref name="set"/>: is the active subnet's top-1 class the label? Eval mode, no recalibration.</summary>
    public static bool[] Correct(ElasticSupernet model, ImageSet set, int batchSize)
    {
        bool wasTraining = model.training;
        model.eval();
        var correct = new bool[set.Count];
        using (no_grad())
        {
            for (int start = 0; start < set.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                // At the active subnet's resolution (elastic resolution), else the set's size.
                var (images, labels) = BatchMaker.Make(set, BatchMaker.Range(start, Math.Min(batchSize, set.Count - start)), model.Device,
                    size: model.Spec.InputSize(model.Active));
                // To the CPU first: data<T>() reads host memory, and on CUDA the comparison lives on the device.
                var hits = model.forward(images).argmax(1).eq(labels).cpu().data<bool>().ToArray();
                hits.CopyTo(correct, start);
            }
        }
        model.train(wasTraining);
        return correct;
    }

    private List<(Tensor Target, Tensor Copy)> SaveStatistics() =>
        _model.BatchNorms().SelectMany(bn => new[] { bn.RunningMean, bn.RunningVar }).Select(t => (t, t.clone())).ToList();

    private static void RestoreStatistics(List<(Tensor Target, Tensor Copy)> saved)
    {
        using var _ = no_grad();
        foreach (var (target, copy) in saved)
        {
            target.copy_(copy);
            copy.Dispose();
        }
    }
}
