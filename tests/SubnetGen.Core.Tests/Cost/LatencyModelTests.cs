using System;
using System.Collections.Generic;
using System.Linq;
using SubnetGen.Core.Cost;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Core.Graph;
using SubnetGen.Core.Ops;
using SubnetGen.Core.Space;

namespace SubnetGen.Core.Tests.Cost;

public class LatencyModelTests
{
    private static readonly LatencyMeasurement Measured = new("subnetgen profile 0.1.0", "SubnetGen.Runtime 0.1.0 / .NET 10", 1, 200);

    private static SubnetGraph SmallestCompOfa()
    {
        var spec = DefaultSupernets.FashionMnist(Family.CompOfa);
        return GraphBuilder.Build(spec, spec.Space.Smallest(spec.Stages.Count));
    }

    [Fact]
    public void LayerKeysSpellShapeKernelStrideActivationAndShortcut()
    {
        var graph = SmallestCompOfa();
        string Key(string name) => LayerKey.For(graph, graph.Layers.Single(l => l.Name == name)).ToString();

        Assert.Equal("conv:28x28x1->16:k3s1:hswish", Key("stem"));
        Assert.Equal("pointwise:14x14x16->48:k1s1:relu", Key("stages.0.blocks.1.expand"));
        Assert.Equal("depthwise:28x28x48->48:k3s2:relu", Key("stages.0.blocks.0.dw"));
        Assert.Equal("pointwise:14x14x48->16:k1s1:none:residual", Key("stages.0.blocks.1.project"));
        Assert.Equal("squeezeExcite:7x7x48->16:k1s1:none", Key("stages.1.blocks.0.se"));
        Assert.Equal("linear:1x1x384->512:k1s1:hswish", Key("head.feature_mix"));
        Assert.Equal("softmax:1x1x10->10:k1s1:none", Key("softmax"));
    }

    [Fact]
    public void LayerKeysRoundTripAndRejectMalformed()
    {
        var graph = SmallestCompOfa();
        foreach (var layer in graph.Layers)
        {
            var key = LayerKey.For(graph, layer);
            Assert.True(LayerKey.TryParse(key.ToString(), out var parsed));
            Assert.Equal(key, parsed);
        }
        foreach (var bad in new[] { "", "pointwise", "pointwise:14x14x16->96:k1s1", "gemm:14x14x16->96:k1s1:relu",
                                    "pointwise:14x14->96:k1s1:relu", "pointwise:14x14x16->96:k1s1:tanh", "pointwise:14x14x16->96:k1s1:relu:extra",
                                    "pointwise:0x14x16->96:k1s1:relu" })
            Assert.False(LayerKey.TryParse(bad, out _), bad);
    }

    [Fact]
    public void FullTableGivesTheExactSumAndIsNotAnEstimate()
    {
        var graph = SmallestCompOfa();
        var entries = new Dictionary<string, double>();
        double expectedUs = 0;
        int i = 0;
        foreach (var layer in graph.Layers)
        {
            string key = LayerKey.For(graph, layer).ToString();
            if (entries.ContainsKey(key)) { expectedUs += entries[key]; continue; }
            entries[key] = 1.5 + i++;
            expectedUs += entries[key];
        }
        var model = new LatencyModel(new DeviceLatencyTable("test", Measured, entries));

        var estimate = model.Estimate(graph);

        Assert.False(estimate.IsEstimate);
        Assert.Equal(graph.Layers.Count, estimate.MeasuredLayers);
        Assert.Equal(expectedUs / 1000.0, estimate.Milliseconds, 9);
    }

    [Fact]
    public void AWholeModelScale_MultipliesTheSum_AndRoundTrips()
    {
        var graph = SmallestCompOfa();
        var entries = graph.Layers.Select(l => LayerKey.For(graph, l).ToString()).Distinct().ToDictionary(k => k, _ => 2.0);
        var plain = new DeviceLatencyTable("test", Measured, entries);
        var scaled = plain.WithWholeModel(new WholeModelCalibration(0.75, 8));

        Assert.Equal(new LatencyModel(plain).Estimate(graph).Milliseconds * 0.75, new LatencyModel(scaled).Estimate(graph).Milliseconds, 12);
        var read = DeviceLatencyTable.Parse(scaled.ToJson());
        Assert.Equal(new WholeModelCalibration(0.75, 8), read.WholeModel);
        Assert.Equal(scaled.ToJson(), read.ToJson());
        Assert.DoesNotContain("wholeModel", plain.ToJson());
        Assert.Null(DeviceLatencyTable.Parse(plain.ToJson()).WholeModel);
    }

    [Theory]
    [InlineData("\"wholeModel\": { \"scale\": 0, \"subnets\": 8 }", "wholeModel.scale")]
    [InlineData("\"wholeModel\": { \"scale\": 1.1 }", "wholeModel.subnets")]
    public void ABadWholeModelScaleIsSng3012(string member, string named)
    {
        string json = new DeviceLatencyTable("test", Measured, new Dictionary<string, double> { ["softmax:1x1x10->10:k1s1:none"] = 1 }).ToJson();
        json = json.TrimEnd().TrimEnd('}') + ", " + member + " }";
        var e = Assert.Throws<SubnetGenException>(() => DeviceLatencyTable.Parse(json));
        Assert.Equal(DiagnosticCodes.LatencyTableInvalid, e.Diagnostic.Code);
        Assert.Contains(named, e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingLayerOfAKnownKindIsFittedFromTheTable()
    {
        // Pointwise entries on the line 2 µs + 0.001 µs/MAC: the least-squares fit recovers it exactly.
        var keys = new[] { "pointwise:14x14x16->48:k1s1:relu", "pointwise:7x7x24->72:k1s1:relu", "pointwise:4x4x40->120:k1s1:hswish" };
        var entries = keys.ToDictionary(k => k, k => { LayerKey.TryParse(k, out var key); return 2 + 0.001 * key.Macs; });
        var model = new LatencyModel(new DeviceLatencyTable("test", Measured, entries));

        Assert.True(LayerKey.TryParse("pointwise:4x4x64->384:k1s1:hswish", out var missing));
        double us = model.LayerMicroseconds(missing, out bool measured);

        Assert.False(measured);
        Assert.Equal(2 + 0.001 * (4 * 4 * 64 * 384), us, 6);
    }

    [Fact]
    public void KindMissingFromTheTableUsesDefaultThroughputScaledToTheDevice()
    {
        // The table's only entries run exactly 3× the default model: a missing kind is estimated 3× its default.
        Assert.True(LayerKey.TryParse("pointwise:14x14x16->48:k1s1:relu", out var known));
        double knownDefault = LatencyModel.DefaultOverheadMicroseconds + known.Macs / PointwiseOp.Instance.DefaultWorkPerMicrosecond;
        var model = new LatencyModel(new DeviceLatencyTable("slow", Measured, new Dictionary<string, double> { [known.ToString()] = 3 * knownDefault }));

        Assert.True(LayerKey.TryParse("depthwise:14x14x48->48:k5s1:relu", out var dw));
        double dwDefault = LatencyModel.DefaultOverheadMicroseconds + 14 * 14 * 48 * 25 / DepthwiseOp.Instance.DefaultWorkPerMicrosecond;

        Assert.Equal(3 * dwDefault, model.LayerMicroseconds(dw, out bool measured), 6);
        Assert.False(measured);
    }

    [Fact]
    public void NoTableUsesTheDocumentedDefaultsAndSaysItIsAnEstimate()
    {
        var graph = SmallestCompOfa();
        double expectedUs = graph.Layers.Sum(l =>
        {
            long macs = CostModel.LayerMacs(graph, l);
            long work = macs > 0 ? macs : CostModel.InputShape(graph, l).Length;
            return LatencyModel.DefaultOverheadMicroseconds + work / OpRegistry.Of(l.Op).DefaultWorkPerMicrosecond;
        });

        var estimate = LatencyModel.Default.Estimate(graph);

        Assert.True(estimate.IsEstimate);
        Assert.Equal(0, estimate.MeasuredLayers);
        Assert.Equal(expectedUs / 1000.0, estimate.Milliseconds, 9);
        Assert.True(LatencyModel.Default.Estimate(GraphBuilder.Build(graph.Spec, graph.Spec.Space.Largest(5))).Milliseconds > estimate.Milliseconds);
    }

    [Fact]
    public void TableJsonRoundTripsDeterministically()
    {
        var table = new DeviceLatencyTable("cortex-a53 @1.2GHz", Measured, new Dictionary<string, double>
        {
            ["pointwise:14x14x16->48:k1s1:relu"] = 12.25,
            ["conv:28x28x1->16:k3s1:hswish"] = 40.125,
        });
        string json = table.ToJson();
        var back = DeviceLatencyTable.Parse(json, "a53.json");

        Assert.Equal(json, back.ToJson());
        Assert.Equal("cortex-a53 @1.2GHz", back.Device);
        Assert.Equal(Measured, back.Measurement);
        Assert.Equal(12.25, back.EntriesMicroseconds["pointwise:14x14x16->48:k1s1:relu"]);
        Assert.True(json.IndexOf("conv:", StringComparison.Ordinal) < json.IndexOf("pointwise:", StringComparison.Ordinal)); // ordinal key order
        Assert.Contains("\"formatVersion\": 1", json);
    }

    [Theory]
    [InlineData("{ \"formatVersion\": 1, \"device\": \"x\", ", "SNG3010")]
    [InlineData("{ \"formatVersion\": 2, \"device\": \"x\", \"measurement\": {}, \"entries\": {} }", "SNG3011")]
    [InlineData("{ \"formatVersion\": 1, \"measurement\": { \"tool\": \"t\", \"runtime\": \"r\", \"threads\": 1, \"iterations\": 5 }, \"entries\": {} }", "SNG3012")]
    [InlineData("{ \"formatVersion\": 1, \"device\": \"x\", \"measurement\": { \"tool\": \"t\", \"runtime\": \"r\", \"threads\": 0, \"iterations\": 5 }, \"entries\": {} }", "SNG3012")]
    [InlineData("{ \"formatVersion\": 1, \"device\": \"x\", \"measurement\": { \"tool\": \"t\", \"runtime\": \"r\", \"threads\": 1, \"iterations\": 5 }, \"entries\": { \"pw:1x1x1->1\": 3 } }", "SNG3012")]
    [InlineData("{ \"formatVersion\": 1, \"device\": \"x\", \"measurement\": { \"tool\": \"t\", \"runtime\": \"r\", \"threads\": 1, \"iterations\": 5 }, \"entries\": { \"linear:1x1x8->4:k1s1:none\": -1 } }", "SNG3012")]
    public void BadTablesAreRefusedWithACode(string json, string code)
    {
        var e = Assert.Throws<SubnetGenException>(() => DeviceLatencyTable.Parse(json, "devices/a53.json"));
        Assert.Equal(code, e.Diagnostic.Code);
        Assert.Equal("devices/a53.json", e.Diagnostic.File);
        Assert.False(string.IsNullOrEmpty(e.Diagnostic.Fix));
    }

    [Fact]
    public void UnreadableJsonNamesTheLine()
    {
        var e = Assert.Throws<SubnetGenException>(() => DeviceLatencyTable.Parse("{\n  \"formatVersion\": 1,\n  \"device\": oops\n}", "t.json"));
        Assert.Equal(3, e.Diagnostic.Line);
    }
}
