using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Bundle;

public class SupernetManifestTests
{
    private static SupernetManifest Manifest(Family family) => new(
        "SubnetGen.Supernet.FashionMnist." + family, "1.2.3", Trained: family != Family.Ofa,
        DefaultSupernets.FashionMnist(family),
        new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" },
        new Provenance("subnetgen-train 0.1.0", "fashion-mnist", "ps", 12, 345.5, "cpu", 42),
        new MeasuredAccuracy(0.81, null, 0.93, "test"));

    [Theory]
    [InlineData(Family.Ofa)]
    [InlineData(Family.CompOfa)]
    [InlineData(Family.MoOfa)]
    public void RoundTripsEveryField(Family family)
    {
        var original = Manifest(family);
        var bytes = original.ToJson();
        var read = SupernetManifest.Parse(bytes, "supernet.json");

        Assert.Equal(original.Id, read.Id);
        Assert.Equal(original.Version, read.Version);
        Assert.Equal(original.Trained, read.Trained);
        Assert.Equal(family, read.Family);
        Assert.Equal(original.Labels, read.Labels);
        Assert.Equal(original.Provenance, read.Provenance);
        Assert.Equal(original.Accuracy, read.Accuracy);
        var a = original.Spec; var b = read.Spec;
        Assert.Equal(a.Input.Mean, b.Input.Mean);
        Assert.Equal(a.Input.Std, b.Input.Std);
        Assert.Equal((a.Input.Height, a.Input.Width, a.Input.Channels), (b.Input.Height, b.Input.Width, b.Input.Channels));
        Assert.Equal(a.Stem, b.Stem);
        Assert.Equal(a.FirstBlock, b.FirstBlock);
        Assert.Equal(a.Stages, b.Stages);
        Assert.Equal(a.Head, b.Head);
        Assert.Equal(a.ClassCount, b.ClassCount);
        Assert.Equal(a.Space, b.Space);
        Assert.Equal(bytes, read.ToJson());
    }

    [Fact]
    public void JsonUsesTheDocumentedSpelling()
    {
        using var compofa = JsonDocument.Parse(Manifest(Family.CompOfa).ToJson());
        var root = compofa.RootElement;
        Assert.Equal(1, root.GetProperty("formatVersion").GetInt32());
        Assert.Equal("compofa", root.GetProperty("family").GetString());
        Assert.Equal("hswish", root.GetProperty("stem").GetProperty("activation").GetString());
        Assert.Equal("relu", root.GetProperty("firstBlock").GetProperty("activation").GetString());
        Assert.True(root.GetProperty("stages")[1].GetProperty("squeezeExcite").GetBoolean());
        Assert.Equal(6, root.GetProperty("space").GetProperty("coupledExpandByDepth").GetProperty("4").GetInt32());
        Assert.Equal(new[] { 3, 5, 3, 3, 5 }, root.GetProperty("space").GetProperty("fixedKernels").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("accuracy").GetProperty("middle").ValueKind);
        Assert.Equal(10, root.GetProperty("labels").GetArrayLength());

        using var ofa = JsonDocument.Parse(Manifest(Family.Ofa).ToJson());
        Assert.Equal("ofa", ofa.RootElement.GetProperty("family").GetString());
        Assert.False(ofa.RootElement.GetProperty("space").TryGetProperty("coupledExpandByDepth", out _));
        Assert.False(ofa.RootElement.GetProperty("space").TryGetProperty("fixedKernels", out _));
        Assert.DoesNotContain((byte)'\r', Manifest(Family.Ofa).ToJson());
    }

    [Fact]
    public void SplitCounts_AreWrittenWhenKnown_AndLeftOutOtherwise()
    {
        var plain = Manifest(Family.CompOfa);
        using (var json = JsonDocument.Parse(plain.ToJson()))
            Assert.False(json.RootElement.GetProperty("provenance").TryGetProperty("validationImages", out _));

        var counted = plain with { Provenance = plain.Provenance with { ValidationImages = 5000, CalibrationImages = 1000, PredictorImages = 2000 } };
        using (var json = JsonDocument.Parse(counted.ToJson()))
        {
            var provenance = json.RootElement.GetProperty("provenance");
            Assert.Equal(5000, provenance.GetProperty("validationImages").GetInt32());
            Assert.Equal(1000, provenance.GetProperty("calibrationImages").GetInt32());
            Assert.Equal(2000, provenance.GetProperty("predictorImages").GetInt32());
        }
        Assert.Equal(counted.Provenance, SupernetManifest.Parse(counted.ToJson(), "supernet.json").Provenance);
    }

    [Fact]
    public void UnknownFormatVersionIsNamed()
    {
        var text = Encoding.UTF8.GetString(Manifest(Family.Ofa).ToJson()).Replace("\"formatVersion\": 1", "\"formatVersion\": 7");
        var e = Assert.Throws<SubnetGenException>(() => SupernetManifest.Parse(Encoding.UTF8.GetBytes(text), "/b/supernet.json"));
        Assert.Equal(DiagnosticCodes.UnsupportedFormatVersion, e.Diagnostic.Code);
        Assert.Contains("7", e.Diagnostic.Message);
        Assert.Contains("1", e.Diagnostic.Message);
        Assert.Equal("/b/supernet.json", e.Diagnostic.File);
    }

    [Theory]
    [InlineData("\"family\": \"compofa\"", "\"family\": \"mobilenet\"", "family")]
    [InlineData("\"activation\": \"hswish\"", "\"activation\": \"gelu\"", "gelu")]
    [InlineData("\"id\": \"SubnetGen.Supernet.FashionMnist.CompOfa\",", "", "id")]
    [InlineData("\"fixedKernels\": [", "\"fixedKernels\": [3, ", "fixedKernels")]
    public void InvalidContentIsReported(string find, string replace, string mentioned)
    {
        var text = Encoding.UTF8.GetString(Manifest(Family.CompOfa).ToJson());
        Assert.Contains(find, text);
        var e = Assert.Throws<SubnetGenException>(() => SupernetManifest.Parse(Encoding.UTF8.GetBytes(text.Replace(find, replace)), "supernet.json"));
        Assert.Equal(DiagnosticCodes.ManifestInvalid, e.Diagnostic.Code);
        Assert.Contains(mentioned, e.Diagnostic.Message);
    }

    [Fact]
    public void SyntaxErrorsCarryLineAndColumn()
    {
        var text = "{\n  \"formatVersion\": 1,\n  \"id\": \"x\",\n  \"trained\": maybe\n}";
        var e = Assert.Throws<SubnetGenException>(() => SupernetManifest.Parse(Encoding.UTF8.GetBytes(text), "supernet.json"));
        Assert.Equal(DiagnosticCodes.ManifestInvalid, e.Diagnostic.Code);
        Assert.Equal(4, e.Diagnostic.Line);
        Assert.True(e.Diagnostic.Column > 1);
    }
}
