using System;
using System.Diagnostics;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Export;

/// <summary>
/// Progress of a measuring loop (predictor data, predictor table): images per second and ETA from the items this
/// process measured, since items reused from an earlier, killed export cost nothing.
/// </summary>
internal sealed class MeasuringRate
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _imagesPerItem;
    private int _measured;

    /// <param name="imagesPerItem">Images one item runs through: its calibration images plus the ones it is scored on.</param>
    public MeasuringRate(int imagesPerItem) => _imagesPerItem = imagesPerItem;

    /// <summary>Counts one item measured (not reused).</summary>
    public void Measured() => _measured++;

    /// <summary>Reports item <paramref name="done"/> of <paramref name="total"/> and its accuracy.</summary>
    public void Report(ITrainingProgress progress, int done, int total, double accuracy)
    {
        double perItem = _measured == 0 ? 0 : _clock.Elapsed.TotalSeconds / _measured;
        progress.Step(done, total, double.NaN, accuracy, perItem == 0 ? 0 : _imagesPerItem / perItem, TimeSpan.FromSeconds(perItem * (total - done)));
    }
}
