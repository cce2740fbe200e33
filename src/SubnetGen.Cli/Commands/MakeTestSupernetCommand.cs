using System;
using System.CommandLine;
using System.IO;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Space;
using SubnetGen.Core.Testing;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen make-test-supernet</c>: an untrained supernet bundle with every tensor and a placeholder
/// predictor, deterministic from the seed — exercises the whole build pipeline without a trainer.
/// </summary>
internal static class MakeTestSupernetCommand
{
    /// <summary>Fashion-MNIST class names, in label order; the test supernets use its 28×28×1 structure.</summary>
    public static readonly string[] FashionMnistLabels =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    public static Command Create()
    {
        var family = new Option<string>("--family") { Description = "Design space: ofa, compofa or moofa.", DefaultValueFactory = _ => "compofa" };
        var dataset = new Option<string>("--dataset") { Description = "Dataset part of the package id SubnetGen.Supernet.<Dataset>.<Family>.", DefaultValueFactory = _ => "Test" };
        var version = new Option<string>("--version") { Description = "Package version.", DefaultValueFactory = _ => "0.1.0" };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same bytes.", DefaultValueFactory = _ => 42 };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Bundle folder to write.", Required = true };
        var command = new Command("make-test-supernet", "Write an untrained (random) supernet bundle for testing the build pipeline.")
            { family, dataset, version, seed, output };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string familyText = parse.GetValue(family)!;
            if (!FormatNames.TryParseFamily(familyText, out var parsed))
            {
                Console.Error.WriteLine($"error: unknown family \"{familyText}\"; use ofa, compofa or moofa.");
                return 1;
            }
            string id = FormatNames.SupernetPackageId(parse.GetValue(dataset)!, parsed);
            var bundle = RandomSupernet.Create(DefaultSupernets.FashionMnist(parsed), id, parse.GetValue(version)!, parse.GetValue(seed), FashionMnistLabels);
            string folder = parse.GetValue(output)!.FullName;
            bundle.Save(folder);
            Console.WriteLine($"{id} {bundle.Manifest.Version}: untrained {FormatNames.DisplayName(parsed)} supernet, {bundle.Spec.Space.CountText(bundle.Spec.Stages.Count)} subnets → {folder}");
            return 0;
        }));
        return command;
    }
}
