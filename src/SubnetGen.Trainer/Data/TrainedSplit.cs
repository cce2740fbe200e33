using System;
using System.Globalization;
using SubnetGen.Core.Bundle;
using SubnetGen.Trainer.Commands;
using SubnetGen.Trainer.Export;

namespace SubnetGen.Trainer.Data;

/// <summary>Whether a data split is the one a bundle was trained with, so its "validation" images were never trained on.</summary>
internal static class TrainedSplit
{
    /// <summary>What a command's <c>--validation</c> says when it defaults to the bundle's split.</summary>
    public const string ValidationDescription = "The run's --validation: images held out of train [default: the bundle's provenance; 5000 for bundles before it was recorded].";

    /// <summary>
    /// The split <paramref name="bundle"/> was trained with, rebuilt from <paramref name="data"/>: the run's validation
    /// size and seed are the ones given or the bundle's provenance (bundles before it recorded the size were trained
    /// with <c>run</c>'s default), and the split must pass <see cref="Require"/>.
    /// </summary>
    public static (DatasetSplits Splits, int Seed, int Validation) Load(SupernetBundle bundle, string data, int? validation, int? seed)
    {
        int runSeed = seed ?? bundle.Manifest.Provenance.Seed
            ?? throw new ArgumentException($"{bundle.Manifest.Id}'s provenance records no seed; pass the run's --seed.");
        int runValidation = validation ?? bundle.Manifest.Provenance.ValidationImages ?? RunCommand.DefaultValidation;
        // Image folders are preprocessed to the geometry the bundle was trained at.
        var splits = DataSource.Load(data, runValidation, runSeed, FolderOptions.Of(bundle.Spec));
        Require(bundle, splits, runValidation, runSeed, data);
        return (splits, runSeed, runValidation);
    }

    /// <summary>
    /// A run's calibration images are the first of its validation split. If <paramref name="splits"/>' validation
    /// split does not start with the bundle's, --validation or --seed differ from the run's, and "validation"
    /// images could be ones the bundle trained on. Also refuses another data set than the provenance names.
    /// </summary>
    public static void Require(SupernetBundle bundle, DatasetSplits splits, int validation, int seed, string dataOption)
    {
        if (bundle.Manifest.Provenance.Dataset is string trainedOn && !string.Equals(trainedOn, splits.Name, StringComparison.Ordinal))
            throw new ArgumentException($"--data {dataOption} is {splits.Name}, but {bundle.Manifest.Id} was trained on {trainedOn}.");
        var calibration = BundleRecalibrator.Calibration(bundle);
        var split = splits.Validation.Take(calibration.Count);
        if (split.Count != calibration.Count || !split.Pixels.AsSpan().SequenceEqual(calibration.Pixels) || !split.Labels.AsSpan().SequenceEqual(calibration.Labels))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The validation split of --validation {validation} --seed {seed} does not start with {bundle.Manifest.Id}'s {calibration.Count} calibration images, so it is not the split the bundle was trained with (its images could include training images). Pass the run's --validation and --seed."));
    }
}
