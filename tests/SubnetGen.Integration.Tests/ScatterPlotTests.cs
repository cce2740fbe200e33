using System;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using SubnetGen.Pipeline.Svg;

namespace SubnetGen.Integration.Tests;

/// <summary>The Pareto page's managed SVG: well-formed, one marker per front point, the pick marked, budgets where they belong.</summary>
public sealed class ScatterPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static ScatterPlotData Data(params PlotBound[] xBounds) => new(
        "Predicted accuracy vs MACs", "MACs (millions)", "predicted accuracy (%)",
        new[] { new PlotPoint(1, 90, "a"), new PlotPoint(3, 91, "b"), new PlotPoint(4, 91.5, "c <&> \"d\""), new PlotPoint(8, 92.25, "e") },
        new PlotPoint(8, 92.25, "e"), "chosen", xBounds, new[] { new PlotBound(90.5, "minAccuracy ≥ 90.5 %") });

    private static double Attribute(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    [Fact]
    public void Plot_IsWellFormed_WithOneMarkerPerPoint_AndThePickMarked()
    {
        var svg = XDocument.Parse(ScatterPlot.Render(Data(new PlotBound(6, "maxMacs ≤ 6,000,000")))).Root!;

        Assert.Equal(Svg + "svg", svg.Name);
        var points = svg.Descendants(Svg + "circle").Where(c => (string?)c.Attribute("class") == "point").ToList();
        Assert.Equal(4, points.Count);
        Assert.Equal(new[] { "a", "b", "c <&> \"d\"", "e" }, points.Select(p => p.Element(Svg + "title")!.Value));
        var pick = Assert.Single(svg.Descendants(Svg + "g"), g => (string?)g.Attribute("class") == "pick");
        Assert.Equal(ScatterPlot.PickColour, pick.Element(Svg + "path")!.Attribute("fill")!.Value);
        Assert.Equal("chosen", pick.Element(Svg + "text")!.Value);
        Assert.Equal("Predicted accuracy vs MACs", svg.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void ABudget_IsADashedLine_AtItsValueOnTheXAxis()
    {
        var svg = XDocument.Parse(ScatterPlot.Render(Data(new PlotBound(4, "maxMacs ≤ 4,000,000")))).Root!;

        var budgets = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "budget").ToList();
        Assert.Equal(2, budgets.Count);
        var vertical = budgets.Single(b => b.Element(Svg + "text")!.Value == "maxMacs ≤ 4,000,000").Element(Svg + "line")!;
        Assert.Equal("6 4", vertical.Attribute("stroke-dasharray")!.Value);
        Assert.Equal(Attribute(vertical, "x1"), Attribute(vertical, "x2"));
        // The point at x = 4 and the tick labelled 4 are where the budget line is.
        var point = svg.Descendants(Svg + "circle").Single(c => c.Element(Svg + "title")!.Value.StartsWith("c ", StringComparison.Ordinal));
        Assert.Equal(Attribute(point, "cx"), Attribute(vertical, "x1"));
        var xAxis = svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "x-axis");
        var tick = xAxis.Elements(Svg + "text").Single(t => t.Value == "4");
        Assert.Equal(Attribute(tick, "x"), Attribute(vertical, "x1"));

        var horizontal = budgets.Single(b => b.Element(Svg + "text")!.Value.StartsWith("minAccuracy", StringComparison.Ordinal)).Element(Svg + "line")!;
        Assert.Equal(Attribute(horizontal, "y1"), Attribute(horizontal, "y2"));
        Assert.True(Attribute(horizontal, "y1") > Attribute(point, "cy"), "90.5 % is drawn below the 91.5 % point");
    }

    [Fact]
    public void TheSameData_GivesTheSameBytes()
    {
        var data = Data(new PlotBound(6, "maxMacs ≤ 6,000,000"));
        Assert.Equal(ScatterPlot.Render(data), ScatterPlot.Render(data with { Points = data.Points.ToArray() }));
        Assert.DoesNotContain("\r", ScatterPlot.Render(data));
        Assert.DoesNotContain(" \n", ScatterPlot.Render(data));
    }

    [Fact]
    public void AOnePointFront_StillGetsAnAxisAroundIt()
    {
        var data = new ScatterPlotData("t", "x", "y", new[] { new PlotPoint(196, 92, "only") }, new PlotPoint(196, 92, "only"), "chosen",
            Array.Empty<PlotBound>(), Array.Empty<PlotBound>());
        var svg = XDocument.Parse(ScatterPlot.Render(data)).Root!;
        Assert.Single(svg.Descendants(Svg + "circle"));
        Assert.DoesNotContain(svg.Descendants(Svg + "path"), p => (string?)p.Attribute("class") == "front");
    }

    [Theory]
    [InlineData(4.35, 8.23, 4.0, 9.0, 1.0, "4")]
    [InlineData(91.9, 92.1, 91.85, 92.15, 0.05, "91.85")]
    [InlineData(196, 300, 175, 325, 25, "175")]
    [InlineData(2.35, 4, 2.0, 4.5, 0.5, "2.0")]
    public void Axes_FallOnRoundNumbers(double low, double high, double min, double max, double step, string firstLabel)
    {
        var axis = AxisScale.Covering(low, high);
        Assert.Equal((min, max, step), (axis.Min, axis.Max, axis.Step));
        Assert.Equal(firstLabel, axis.Label(axis.Ticks[0]));
        Assert.True(axis.Min < low && axis.Max > high, "the extremes get room");
    }

    [Fact]
    public void SvgWriter_EscapesText_AndWritesInvariantNumbers()
    {
        string markup = new SvgWriter().Open("g", ("data-x", "a\"b<c")).Text("text", "1 < 2 & 3 > 2", ("x", 1234.5678)).Empty("circle", ("r", -0.001)).Close().ToString();
        var g = XElement.Parse(markup);
        Assert.Equal("a\"b<c", g.Attribute("data-x")!.Value);
        Assert.Equal("1 < 2 & 3 > 2", g.Element("text")!.Value);
        Assert.Equal("1234.57", g.Element("text")!.Attribute("x")!.Value);
        Assert.Equal("0", g.Element("circle")!.Attribute("r")!.Value);
        Assert.Throws<InvalidOperationException>(() => new SvgWriter().Open("svg").ToString());
    }
}
