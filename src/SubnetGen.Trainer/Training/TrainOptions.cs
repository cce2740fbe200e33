using System.Collections.Generic;
using SubnetGen.Core.Space;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Evaluation;
using SubnetGen.Trainer.Model;

namespace SubnetGen.Trainer.Training;

/// <summary>Everything a training run depends on (the CLI's options; tests build it directly).</summary>
internal sealed record TrainOptions
{
    public Family Family { get; init; } = Family.CompOfa;
    /// <summary>"fashion-mnist" (auto-found), a folder with Fashion-MNIST IDX files, or an image folder (one sub-folder per class).</summary>
    public string Data { get; init; } = "fashion-mnist";
    public string Output { get; init; } = "out";
    public double EpochsScale { get; init; } = 1.0;
    public IReadOnlyDictionary<string, int>? PhaseEpochs { get; init; }
    public int BatchSize { get; init; } = 128;
    public double TeacherLearningRate { get; init; } = 0.1;
    public double ShrinkLearningRate { get; init; } = 0.03;
    /// <summary>Learning rates of named phases, over <see cref="TeacherLearningRate"/> and <see cref="ShrinkLearningRate"/> (<c>--phase-lr</c>).</summary>
    public IReadOnlyDictionary<string, double>? PhaseLearningRates { get; init; }
    /// <summary>Sampled subnets per step of named shrinking phases, over each phase's own (<c>--phase-subnets</c>).</summary>
    public IReadOnlyDictionary<string, int>? PhaseSubnets { get; init; }
    public int Seed { get; init; } = 42;
    public int Threads { get; init; } = 2;
    public string Device { get; init; } = "auto";
    public bool Resume { get; init; }
    /// <summary>Start afresh although <see cref="Output"/> holds an earlier run's checkpoint, replacing it (<c>--overwrite</c>); without it such a start is refused.</summary>
    public bool Overwrite { get; init; }
    /// <summary>Use only the first N training images (smoke tests, timing).</summary>
    public int? TrainLimit { get; init; }
    public int? TestLimit { get; init; }
    public int ValidationCount { get; init; } = 5000;
    /// <summary>Calibration images shipped in the bundle and used for every BN recalibration (taken from the validation split).</summary>
    public int CalibrationCount { get; init; } = 2000;
    /// <summary>Validation images each config of the predictor table / MLP data is evaluated on.</summary>
    public int PredictorImages { get; init; } = 5000;
    /// <summary>Subnets sampled for the MLP predictor when the space is too large for a table.</summary>
    public int PredictorSubnets { get; init; } = 1000;
    /// <summary>Which predictor is fitted on the measured subnets (<see cref="PredictorKind.Auto"/>: the better one under cross-validation).</summary>
    public PredictorKind Predictor { get; init; } = PredictorKind.Auto;
    public int EvaluationBatchSize { get; init; } = 500;
    public string Version { get; init; } = "1.0.0";
    /// <summary>Stop after this many epochs in total (tests of --resume; the run is resumable afterwards).</summary>
    public int? StopAfterEpochs { get; init; }
    /// <summary>How an image folder becomes training images: channels and input size (<c>--channels</c>, <c>--size</c>).</summary>
    public FolderOptions Folder { get; init; } = FolderOptions.Auto;
    /// <summary>Multiplies every width of the structure (<c>--width-multiplier</c>, docs/design-spaces.md).</summary>
    public double WidthMultiplier { get; init; } = 1.0;
    /// <summary>Elastic input resolutions (<c>--resolutions</c>); null: the default rule (docs/design-spaces.md).</summary>
    public IReadOnlyList<int>? Resolutions { get; init; }
    /// <summary><c>--augment</c>: default, none, or a list of shift, crop, flip (<see cref="Augmentation.Parse"/>).</summary>
    public string Augment { get; init; } = "default";
    /// <summary><c>--quick</c>: the short schedule of <see cref="QuickSchedule"/>, sized once the training images are counted.</summary>
    public bool Quick { get; init; }
    /// <summary>Layout of the SGD steps. Contiguous by default: channels-last is faster but not reproducible bit for bit (docs/training.md).</summary>
    public MemoryFormat MemoryFormat { get; init; } = MemoryFormat.Contiguous;
    /// <summary>Sandwich rule: which subnets every distilling step trains besides the sampled ones (<see cref="Phase.Sandwich"/>).</summary>
    public SandwichRule Sandwich { get; init; }
    /// <summary>
    /// What to start from instead of random weights: a trained bundle folder (only the <see cref="Schedule.FineTune"/>
    /// phase trains by default) or a network file such as a run's teacher.safetensors (every phase but the teacher's).
    /// </summary>
    public string? Init { get; init; }
    /// <summary>A network to distil from instead of the run's own (a checkpoint's teacher.safetensors or a bundle folder); its largest subnet is the teacher.</summary>
    public string? Teacher { get; init; }
}
