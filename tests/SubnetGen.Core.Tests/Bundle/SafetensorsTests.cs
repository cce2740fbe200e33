using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Tests.Bundle;

public class SafetensorsTests
{
    private static byte[] Fixture(string header, params byte[] data)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new List<byte>(BitConverter.GetBytes((long)headerBytes.Length).Take(8));
        if (!BitConverter.IsLittleEndian) bytes.Reverse();
        bytes.AddRange(headerBytes);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    // 0.5f, 1f, -2f as little-endian IEEE 754 bytes, written out by hand.
    private static readonly byte[] Half = { 0x00, 0x00, 0x00, 0x3F }, One = { 0x00, 0x00, 0x80, 0x3F }, MinusTwo = { 0x00, 0x00, 0x00, 0xC0 };

    [Fact]
    public void WriterProducesTheSpecifiedBytes()
    {
        var tensors = new Dictionary<string, WeightTensor>
        {
            ["b"] = new(new[] { 2 }, new[] { 1f, -2f }),
            ["a"] = new(new[] { 1, 1 }, new[] { 0.5f }),
        };
        var bytes = Safetensors.ToBytes(tensors, new Dictionary<string, string> { ["format"] = "pt" });

        // Names sorted ordinally in header and data; header padded with spaces to a multiple of 8.
        string header = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]},"
                      + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        header += new string(' ', (8 - header.Length % 8) % 8);
        var expected = Fixture(header, Half.Concat(One).Concat(MinusTwo).ToArray());
        Assert.Equal(0, (bytes.Length - 12) % 8);
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void ReaderAcceptsAnyKeyOrderAndSpacing()
    {
        string header = "{ \"b\": {\"data_offsets\": [0, 8], \"shape\": [2], \"dtype\": \"F32\"},\n \"__metadata__\": {\"k\": \"v\"}, \"a\": {\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]} }";
        var content = Safetensors.Read(Fixture(header, One.Concat(MinusTwo).Concat(Half).ToArray()), "x.safetensors");
        Assert.Equal(new[] { 1f, -2f }, content.Tensors["b"].Data);
        Assert.Equal(new[] { 2 }, content.Tensors["b"].Shape);
        Assert.Equal(new[] { 0.5f }, content.Tensors["a"].Data);
        Assert.Empty(content.Tensors["a"].Shape);
        Assert.Equal("v", content.Metadata["k"]);
    }

    [Fact]
    public void RoundTripKeepsEveryValueAndShape()
    {
        var random = new Random(3);
        var tensors = new Dictionary<string, WeightTensor>();
        for (int i = 0; i < 20; i++)
        {
            var shape = Enumerable.Range(0, 1 + i % 4).Select(_ => random.Next(1, 5)).ToArray();
            var data = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 2 - 1) * 1e3f).ToArray();
            tensors["t" + i + ".weight"] = new WeightTensor(shape, data);
        }
        tensors["special"] = new WeightTensor(new[] { 4 }, new[] { float.Epsilon, -0f, float.MaxValue, 1e-30f });
        var read = Safetensors.Read(Safetensors.ToBytes(tensors), "x");
        Assert.Equal(tensors.Keys.OrderBy(k => k, StringComparer.Ordinal), read.Tensors.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var pair in tensors)
        {
            Assert.Equal(pair.Value.Shape, read.Tensors[pair.Key].Shape);
            Assert.Equal(pair.Value.Data.Select(BitConverter.SingleToInt32Bits), read.Tensors[pair.Key].Data.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(Safetensors.ToBytes(tensors), Safetensors.ToBytes(read.Tensors));
    }

    [Fact]
    public void OtherDtypesAreRefused()
    {
        var bytes = Fixture("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 0, 0, 0, 0);
        var e = Assert.Throws<SubnetGenException>(() => Safetensors.Read(bytes, "w.safetensors"));
        Assert.Equal(DiagnosticCodes.SafetensorsUnsupportedDtype, e.Diagnostic.Code);
        Assert.Contains("F16", e.Diagnostic.Message);
        Assert.Equal("w.safetensors", e.Diagnostic.File);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 8)]   // shape says 8 bytes, offsets 4
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}", 4)]   // past the end of the data
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)]                          // no offsets
    [InlineData("[1, 2]", 0)]                                                          // not an object
    [InlineData("{\"a\": ", 0)]                                                        // not JSON
    public void CorruptFilesAreReportedWithTheFileName(string header, int dataBytes)
    {
        var e = Assert.Throws<SubnetGenException>(() => Safetensors.Read(Fixture(header, new byte[dataBytes]), "w.safetensors"));
        Assert.Equal(DiagnosticCodes.SafetensorsCorrupt, e.Diagnostic.Code);
        Assert.Equal("w.safetensors", e.Diagnostic.File);
    }

    [Fact]
    public void TruncatedHeaderLengthIsReported()
    {
        var e = Assert.Throws<SubnetGenException>(() => Safetensors.Read(new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, 1, 2 }, "w.safetensors"));
        Assert.Equal(DiagnosticCodes.SafetensorsCorrupt, e.Diagnostic.Code);
        Assert.Throws<SubnetGenException>(() => Safetensors.Read(new byte[] { 1, 2, 3 }, "w.safetensors"));
    }
}
