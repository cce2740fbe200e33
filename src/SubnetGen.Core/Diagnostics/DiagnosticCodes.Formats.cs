namespace SubnetGen.Core.Diagnostics;

/// <summary>SNG4xxx: supernet bundle and subnet artifact formats, weight extraction. Documented in docs/errors/formats.md.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>A file the bundle or artifact needs does not exist.</summary>
    public const string FormatFileMissing = "SNG4001";

    /// <summary>A file carries a <c>formatVersion</c> this SubnetGen does not know.</summary>
    public const string UnsupportedFormatVersion = "SNG4002";

    /// <summary><c>supernet.json</c> is not valid JSON, lacks a field or has a value out of range.</summary>
    public const string ManifestInvalid = "SNG4003";

    /// <summary><c>weights.safetensors</c> is truncated or its header is malformed.</summary>
    public const string SafetensorsCorrupt = "SNG4010";

    /// <summary>A safetensors tensor has a dtype other than F32.</summary>
    public const string SafetensorsUnsupportedDtype = "SNG4011";

    /// <summary>A tensor the supernet structure needs is not in <c>weights.safetensors</c>.</summary>
    public const string TensorMissing = "SNG4012";

    /// <summary>A supernet tensor has a shape other than the structure in <c>supernet.json</c> implies.</summary>
    public const string TensorShapeMismatch = "SNG4013";

    /// <summary><c>predictor.json</c> is not valid JSON, has an unknown kind or inconsistent layer sizes.</summary>
    public const string PredictorInvalid = "SNG4020";

    /// <summary><c>promise.json</c> is not valid JSON, counts more correct images than it measured, or names a config outside the design space.</summary>
    public const string PromiseInvalid = "SNG4021";

    /// <summary>A held-out image folder for <c>subnetgen promise</c> lacks a valid <c>held-out.json</c>, or was written for another bundle.</summary>
    public const string HeldOutImagesInvalid = "SNG4022";

    /// <summary><c>calibration.bin</c> has a wrong magic, negative sizes or is truncated.</summary>
    public const string CalibrationCorrupt = "SNG4030";

    /// <summary><c>bnstats.safetensors</c> names an unknown config or BN, lacks a BN the config uses, or has a length other than its active channels.</summary>
    public const string BatchNormStatisticsFileInvalid = "SNG4031";

    /// <summary>BN recalibration was asked of a calibration set with no images or images of another shape than the supernet's input.</summary>
    public const string CalibrationUnusable = "SNG4032";

    /// <summary>Extraction was asked for a config that is not in the supernet's design space.</summary>
    public const string ExtractConfigInvalid = "SNG4040";

    /// <summary>Recalibrated BN statistics given to the extractor have the wrong length.</summary>
    public const string BatchNormStatisticsInvalid = "SNG4041";

    /// <summary><c>&lt;Model&gt;.subnet.json</c> is not valid JSON or lacks a field.</summary>
    public const string ArtifactInvalid = "SNG4050";

    /// <summary><c>&lt;Model&gt;.weights.bin</c> does not hold <c>weightFloats</c> floats.</summary>
    public const string ArtifactWeightsMismatch = "SNG4051";

    /// <summary>Writing a bundle or artifact failed (disk full, no permission, folder in use).</summary>
    public const string FormatWriteFailed = "SNG4060";
}
