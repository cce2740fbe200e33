namespace SubnetGen.Core.Diagnostics;

/// <summary>SNG6xxx: <c>subnetgen-train</c> — its data, its options, its environment.</summary>
public static partial class DiagnosticCodes
{
    /// <summary><c>--data</c> names no folder, or a folder that is neither Fashion-MNIST's IDX files nor an image folder.</summary>
    public const string DataNotFound = "SNG6001";

    /// <summary>An image folder with fewer than two class folders.</summary>
    public const string TooFewClasses = "SNG6002";

    /// <summary>A class folder without a single readable image.</summary>
    public const string EmptyClass = "SNG6003";

    /// <summary>An image file that cannot be decoded.</summary>
    public const string UnreadableImage = "SNG6004";

    /// <summary>The training geometry (<c>--size</c>, <c>--channels</c>, the class count, <c>--width-multiplier</c>) is outside what the structure rule covers.</summary>
    public const string GeometryUnsupported = "SNG6005";

    /// <summary>An option's value cannot be used (<c>--size</c>, <c>--augment</c>, <c>--channels</c>).</summary>
    public const string TrainerOptionInvalid = "SNG6006";

    /// <summary><c>--resolutions</c> lists a resolution above the training size or below 16, or is not a list of numbers.</summary>
    public const string ResolutionsInvalid = "SNG6007";

    /// <summary>The libstdc++ this process uses lacks the GLIBCXX symbol version libtorch (TorchSharp's libLibTorchSharp) needs (Debian 12 ships GCC 12's).</summary>
    public const string LibStdCxxTooOld = "SNG6010";

    /// <summary>TorchSharp's native library (libLibTorchSharp and libtorch) could not be loaded for another reason; the message carries the loader's.</summary>
    public const string LibTorchNotLoadable = "SNG6011";
}
