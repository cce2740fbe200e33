using System;
using System.Collections.Generic;
using System.Linq;

namespace SubnetGen.Trainer.Training;

/// <summary>
/// <c>--quick</c>: a schedule that finishes in minutes on a small image folder, to try the whole path (train, pack,
/// build, classify) before a real run. The teacher trains <see cref="TeacherEpochs"/> epochs and every shrinking phase
/// one; calibration and predictor images and predictor subnets are capped. Explicit <c>--phase-epochs</c> still win.
/// </summary>
internal static class QuickSchedule
{
    public const int TeacherEpochs = 2, Images = 500, PredictorSubnets = 100;

    public static TrainOptions Apply(TrainOptions options)
    {
        var epochs = Schedule.DefaultEpochs(options.Family).Keys
            .Where(name => name != Schedule.FineTune)
            .ToDictionary(name => name, name => name == "teacher" ? TeacherEpochs : 1);
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
