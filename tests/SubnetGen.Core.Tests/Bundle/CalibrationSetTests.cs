using System.Linq;
using SubnetGen.Core.Bundle;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Tests.Bundle;

public class CalibrationSetTests
{
    // Two 1×2×1 images (bytes 10,11 and 20,21) with labels 3 and 7, written out by hand.
    private static readonly byte[] Fixture =
    {
        (byte)'S', (byte)'G', (byte)'C', (byte)'A', (byte)'L', (byte)'1', 0, 0,
        2, 0, 0, 0,  1, 0, 0, 0,  2, 0, 0, 0,  1, 0, 0, 0,
        10, 11, 20, 21,
        3, 7,
    };

    [Fact]
    public void ReadsTheDocumentedLayout()
    {
        var set = CalibrationSet.Parse(Fixture, "calibration.bin");
        Assert.Equal((2, 1, 2, 1), (set.Count, set.Height, set.Width, set.Channels));
        Assert.Equal(new byte[] { 20, 21 }, set.Image(1).ToArray());
        Assert.Equal(new[] { 3, 7 }, set.Labels);
        Assert.Equal(Fixture, set.ToBytes());
    }

    [Fact]
    public void LabelsAboveAByte_AreWrittenAsVersion2WithUInt16Labels()
    {
        var set = new CalibrationSet(1, 2, 1, new byte[] { 10, 11, 20, 21 }, new[] { 3, 999 });
        var bytes = set.ToBytes();
        Assert.Equal((byte)'2', bytes[5]);
        Assert.Equal(Fixture.Length + 2, bytes.Length);
        Assert.Equal(new byte[] { 3, 0, 0xE7, 0x03 }, bytes.Skip(bytes.Length - 4).ToArray());
        var read = CalibrationSet.Parse(bytes, "calibration.bin");
        Assert.Equal(new[] { 3, 999 }, read.Labels);
        Assert.Equal(new byte[] { 20, 21 }, read.Image(1).ToArray());
        Assert.Throws<System.ArgumentException>(() => new CalibrationSet(1, 2, 1, new byte[] { 10, 11, 20, 21 }, new[] { 3, 70000 }));
    }

    [Fact]
    public void EmptySetRoundTrips()
    {
        var empty = CalibrationSet.Empty(28, 28, 1);
        var read = CalibrationSet.Parse(empty.ToBytes(), "calibration.bin");
        Assert.Equal(0, read.Count);
        Assert.Equal(28, read.Width);
    }

    [Fact]
    public void TruncatedOrForeignFilesAreRefused()
    {
        var truncated = Assert.Throws<SubnetGenException>(() => CalibrationSet.Parse(Fixture.Take(Fixture.Length - 1).ToArray(), "calibration.bin"));
        Assert.Equal(DiagnosticCodes.CalibrationCorrupt, truncated.Diagnostic.Code);
        var foreign = (byte[])Fixture.Clone();
        foreign[0] = (byte)'X';
        Assert.Equal(DiagnosticCodes.CalibrationCorrupt, Assert.Throws<SubnetGenException>(() => CalibrationSet.Parse(foreign, "c.bin")).Diagnostic.Code);
        var newer = (byte[])Fixture.Clone();
        newer[5] = (byte)'3';
        Assert.Equal(DiagnosticCodes.UnsupportedFormatVersion, Assert.Throws<SubnetGenException>(() => CalibrationSet.Parse(newer, "c.bin")).Diagnostic.Code);
    }
}
