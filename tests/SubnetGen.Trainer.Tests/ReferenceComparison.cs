using System;
using System.Linq;
using SubnetGen.Core.Extract;
using SubnetGen.TestSupport;
using SubnetGen.Trainer.Data;
using SubnetGen.Trainer.Model;
using static TorchSharp.torch;

namespace SubnetGen.Trainer.Tests;

/// <summary>The TorchSharp supernet (its active subnet, as it stands) vs Core's extraction run by the tests' plain-loop reference forward.</summary>
internal static class ReferenceComparison
{
    /// <summary>Logits agree to 1e-4 on the first <paramref name="images"/> images of <paramref name="test"/>.</summary>
    public static void AssertMatches(ElasticSupernet model, ExtractedSubnet extracted, int images, ImageSet test, string what)
    {
        var (batch, _) = BatchMaker.Make(test, BatchMaker.Range(0, images), CPU);
        float[] torchLogits;
        using (no_grad()) torchLogits = model.forward(batch).data<float>().ToArray();
        int classes = torchLogits.Length / images;
        for (int i = 0; i < images; i++)
        {
            var pixels = test.Image(i).ToArray().Select(b => b / 255f).ToArray();
            var reference = ReferenceForward.Run(extracted.Graph, extracted.Layout, extracted.Weights, pixels).Logits;
            for (int c = 0; c < classes; c++)
                Assert.True(Math.Abs(reference[c] - torchLogits[i * classes + c]) <= 1e-4,
                    $"{what}, image {i}, class {c}: reference {reference[c]} vs TorchSharp {torchLogits[i * classes + c]}");
        }
    }
}
