using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Tests.Bundle;

public class PredictorFileTests
{
    private static PredictorFile Mlp() => PredictorFile.Mlp(new[]
    {
        new PredictorLayer(new float[,] { { 1f, 2f, 3f }, { -1f, 0.5f, 0f } }, new[] { 0.1f, -0.2f }),
        new PredictorLayer(new float[,] { { 0.25f, 4f } }, new[] { 1f }),
    }, 0.01, 0.5, new PredictorValidation(0.012, 0.8, 300));

    [Fact]
    public void MlpRoundTrips()
    {
        var original = Mlp();
        var read = PredictorFile.Parse(original.ToJson(), "predictor.json");
        Assert.Equal("mlp", read.Kind);
        Assert.Equal("ofa-onehot", read.Encoding);
        Assert.Equal(3, read.InputLength);
        Assert.Equal(2, read.Layers.Count);
        Assert.Equal(original.Layers[0].Weights, read.Layers[0].Weights);
        Assert.Equal(original.Layers[1].Bias, read.Layers[1].Bias);
        Assert.Equal(0.01, read.OutputScale);
        Assert.Equal(0.5, read.OutputOffset);
        Assert.Equal(original.Validation, read.Validation);
        Assert.False(read.Placeholder);

        using var json = JsonDocument.Parse(original.ToJson());
        // weights are [out][in]
        Assert.Equal(-1f, json.RootElement.GetProperty("layers")[0].GetProperty("weights")[1][0].GetSingle());
        Assert.False(json.RootElement.TryGetProperty("entries", out _));
    }

    [Fact]
    public void CrossValidationFoldsRoundTrip_AndAHoldOutValidationWritesNone()
    {
        var crossValidated = Mlp() with { Validation = new PredictorValidation(0.004, 0.7, 500, 5) };
        Assert.Equal(crossValidated.Validation, PredictorFile.Parse(crossValidated.ToJson(), "predictor.json").Validation);
        using var withFolds = JsonDocument.Parse(crossValidated.ToJson());
        Assert.Equal(5, withFolds.RootElement.GetProperty("validation").GetProperty("folds").GetInt32());

        // Files written before cross-validation have no "folds": a single hold-out, read as null.
        using var holdOut = JsonDocument.Parse(Mlp().ToJson());
        Assert.False(holdOut.RootElement.GetProperty("validation").TryGetProperty("folds", out _));
        Assert.Null(PredictorFile.Parse(Mlp().ToJson(), "predictor.json").Validation!.Folds);
    }

    [Fact]
    public void TableRoundTripsInOrdinalKeyOrder()
    {
        var table = PredictorFile.Table(new Dictionary<string, double> { ["k5e4,k5e4|b"] = 0.9, ["k3e3,k3e3|a"] = 0.8 }, placeholder: true);
        var bytes = table.ToJson();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.True(text.IndexOf("k3e3", System.StringComparison.Ordinal) < text.IndexOf("k5e4", System.StringComparison.Ordinal));
        var read = PredictorFile.Parse(bytes, "predictor.json");
        Assert.Equal("table", read.Kind);
        Assert.True(read.Placeholder);
        Assert.Equal(0.9, read.Entries!["k5e4,k5e4|b"]);
        Assert.Equal(bytes, read.ToJson());
    }

    [Theory]
    [InlineData("{\"formatVersion\":1,\"kind\":\"forest\"}", "forest")]
    [InlineData("{\"formatVersion\":1,\"kind\":\"mlp\",\"encoding\":\"ofa-onehot\",\"inputLength\":2,\"layers\":[{\"weights\":[[1,2,3]],\"bias\":[0]}]}", "layers[0].weights[0]")]
    [InlineData("{\"formatVersion\":1,\"kind\":\"mlp\",\"encoding\":\"ofa-onehot\",\"inputLength\":2,\"layers\":[{\"weights\":[[1,2],[3,4]],\"bias\":[0,0]}]}", "last layer")]
    [InlineData("{\"formatVersion\":1,\"kind\":\"table\",\"entries\":{}}", "entry")]
    public void InconsistentPredictorsAreRefused(string json, string mentioned)
    {
        var e = Assert.Throws<SubnetGenException>(() => PredictorFile.Parse(Encoding.UTF8.GetBytes(json), "predictor.json"));
        Assert.Equal(DiagnosticCodes.PredictorInvalid, e.Diagnostic.Code);
        Assert.Contains(mentioned, e.Diagnostic.Message);
    }

    [Fact]
    public void UnknownVersionIsRefused()
    {
        var e = Assert.Throws<SubnetGenException>(() => PredictorFile.Parse(Encoding.UTF8.GetBytes("{\"formatVersion\":2,\"kind\":\"mlp\"}"), "predictor.json"));
        Assert.Equal(DiagnosticCodes.UnsupportedFormatVersion, e.Diagnostic.Code);
    }
}
