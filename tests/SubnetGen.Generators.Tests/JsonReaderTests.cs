using System;
using System.Linq;
using SubnetGen.Generators.Json;

namespace SubnetGen.Generators.Tests;

/// <summary>The generator's own strict JSON reader (it may not use System.Text.Json).</summary>
public sealed class JsonReaderTests
{
    [Fact]
    public void ReadsEveryKindAndKeepsPositions()
    {
        const string text = "{ \"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\n\\u00e9\\\"\" }";
        var root = JsonReader.Parse(text);

        Assert.Equal(JsonKind.Object, root.Kind);
        var a = root.Get("a")!;
        Assert.NotNull(a.Items);
        Assert.Equal(new[] { JsonKind.Number, JsonKind.Number, JsonKind.True, JsonKind.False, JsonKind.Null }, a.Items.Select(i => i.Kind));
        Assert.Equal("-2.5e3", a.Items![1].Text);
        Assert.Equal("x\né\"", root.Get("b")!.Text);
        // Positions let diagnostics point at the value.
        Assert.Equal("-2.5e3", text.Substring(a.Items[1].Start, a.Items[1].Length));
        Assert.Equal("\"x\\n\\u00e9\\\"\"", text.Substring(root.Get("b")!.Start, root.Get("b")!.Length));
        Assert.Null(root.Get("missing"));
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 8)]            // trailing comma
    [InlineData("[1, 2,]", 6)]
    [InlineData("// c\n{}", 0)]             // comment
    [InlineData("{'a': 1}", 1)]             // single quotes
    [InlineData("[01]", 2)]                 // leading zero
    [InlineData("[1.]", 3)]
    [InlineData("[.5]", 1)]
    [InlineData("[+1]", 1)]
    [InlineData("[NaN]", 1)]
    [InlineData("{\"a\": 1, \"a\": 2}", 9)] // duplicate key
    [InlineData("[\"\\x\"]", 3)]            // bad escape
    [InlineData("[\"\\u12\"]", 3)]
    [InlineData("[\"a\tb\"]", 3)]           // raw control character
    [InlineData("{} {}", 3)]                // two documents
    [InlineData("[1", 2)]                   // truncated
    [InlineData("", 0)]
    [InlineData("[tru]", 1)]
    public void RejectsNonStrictJsonAtThePosition(string text, int position)
    {
        var e = Assert.Throws<JsonSyntaxException>(() => JsonReader.Parse(text));

        Assert.Equal(position, e.Position);
    }

    [Fact]
    public void RejectsDeepNestingInsteadOfOverflowingTheStack()
    {
        string text = new string('[', 10_000) + new string(']', 10_000);

        var e = Assert.Throws<JsonSyntaxException>(() => JsonReader.Parse(text));
        Assert.Contains("nesting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsWhitespaceAroundTheDocument()
    {
        Assert.Equal(JsonKind.Array, JsonReader.Parse(" \r\n\t[ ] \n").Kind);
    }
}
