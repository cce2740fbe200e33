using System;
using System.Collections.Generic;
using System.Linq;

namespace SubnetGen.Trainer.Training;

/// <summary>
/// <c>--quick</c>: a schedule that finishes in minutes, to try the whole path (train, pack, build, classify) before a
/// real run. Sized in SGD steps, not epochs, so that a folder of a few hundred images still trains enough to classify
/// and a large dataset still finishes soon: the teacher about <see cref="TeacherSteps"/> steps, every shrinking phase
/// about <see cref="PhaseSteps"/>, both rounded up to whole epochs; calibration and predictor images and predictor
/// subnets are capped. Explicit <c>--phase-epochs</c> still win.
/// </summary>
internal static class QuickSchedule
{
    public const int TeacherSteps = 200, PhaseSteps = 60, Images = 500, PredictorSubnets = 100;

    public static TrainOptions Apply(TrainOptions options, int trainImages)
    {
        int stepsPerEpoch = Math.Max(1, (trainImages + options.BatchSize - 1) / options.BatchSize);
        int Epochs(int steps) => (steps + stepsPerEpoch - 1) / stepsPerEpoch;
        var epochs = Schedule.DefaultEpochs(options.Family).Keys
            .Where(name => name != Schedule.FineTune)
            .ToDictionary(name => name, name => Epochs(name == "teacher" ? TeacherSteps : PhaseSteps));
        foreach (var (name, value) in options.PhaseEpochs ?? new Dictionary<string, int>()) epochs[name] = value;
        return options with
        {
            PhaseEpochs = epochs,
            CalibrationCount = Math.Min(options.CalibrationCount, Images),
            PredictorImages = Math.Min(options.PredictorImages, Images),
            PredictorSubnets = Math.Min(options.PredictorSubnets, PredictorSubnets),
        };
    }
}
