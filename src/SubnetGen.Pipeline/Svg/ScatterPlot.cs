using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SubnetGen.Pipeline.Svg;

/// <summary>A point of a scatter plot, in the axes' units; <paramref name="Tooltip"/> is shown on hover.</summary>
/// <summary>A point; <paramref name="Low"/>/<paramref name="High"/> (axis units) draw an error bar when both are set.</summary>
internal sealed record PlotPoint(double X, double Y, string Tooltip, double? Low = null, double? High = null);

/// <summary>A bound drawn across the plot as a dashed line at <paramref name="Value"/> (axis units), labelled.</summary>
internal sealed record PlotBound(double Value, string Label);

/// <summary>
/// What one scatter plot shows: a Pareto front as points joined by its staircase, the chosen point, and the budgets as
/// dashed lines (<paramref name="XBounds"/> vertical, <paramref name="YBounds"/> horizontal). <paramref name="YSpan"/>, when
/// given, is covered too, so that plots side by side share their y axis.
/// </summary>
internal sealed record ScatterPlotData(
    string Title,
    string XLabel,
    string YLabel,
    IReadOnlyList<PlotPoint> Points,
    PlotPoint Pick,
    string PickLabel,
    IReadOnlyList<PlotBound> XBounds,
    IReadOnlyList<PlotBound> YBounds,
    (double Low, double High)? YSpan = null);

/// <summary>
/// One inline <c>&lt;svg&gt;</c>: frame, grid, ticks and labels on both axes, the front, the pick and the budget lines.
/// Labels go where a Pareto front leaves room (no front point is both costlier and less accurate than another, so below
/// and right of its points is empty), and carry a white halo for where they cross something anyway.
/// </summary>
internal static class ScatterPlot
{
    public const int Width = 540;
    public const int Height = 360;
    private const double Left = 64, Right = 20, Top = 34, Bottom = 56;
    private const double FontSize = 12;
    // Average advance of a sans-serif character at FontSize, to keep labels inside the frame.
    private const double CharWidth = FontSize * 0.58;

    public const string PointColour = "#1f77b4";
    public const string PickColour = "#d62728";
    public const string BoundColour = "#555555";

    public static string Render(ScatterPlotData data)
    {
        var xs = data.Points.Select(p => p.X).Append(data.Pick.X).Concat(data.XBounds.Select(b => b.Value)).ToList();
        var ys = data.Points.Append(data.Pick).SelectMany(p => new[] { p.Y, p.Low ?? p.Y, p.High ?? p.Y }).Concat(data.YBounds.Select(b => b.Value)).ToList();
        if (data.YSpan is var (low, high)) ys.AddRange(new[] { low, high });
        var x = AxisScale.Covering(xs.Min(), xs.Max());
        var y = AxisScale.Covering(ys.Min(), ys.Max());
        double left = Left, right = Width - Right, top = Top, bottom = Height - Bottom;
        double X(double v) => x.Map(v, left, right);
        double Y(double v) => y.Map(v, bottom, top);

        var svg = new SvgWriter();
        svg.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("width", Width), ("height", Height),
            ("viewBox", string.Format(CultureInfo.InvariantCulture, "0 0 {0} {1}", Width, Height)), ("role", "img"), ("font-family", "sans-serif"), ("font-size", FontSize));
        svg.Text("title", data.Title);
        svg.Text("text", data.Title, ("x", (left + right) / 2), ("y", 20.0), ("text-anchor", "middle"), ("font-size", 14), ("font-weight", "bold"));

        // Grid, ticks and tick labels.
        svg.Open("g", ("class", "x-axis"));
        foreach (double tick in x.Ticks)
        {
            svg.Empty("line", ("x1", X(tick)), ("y1", top), ("x2", X(tick)), ("y2", bottom), ("stroke", "#e5e5e5"));
            svg.Empty("line", ("x1", X(tick)), ("y1", bottom), ("x2", X(tick)), ("y2", bottom + 5), ("stroke", "#333333"));
            svg.Text("text", x.Label(tick), ("x", X(tick)), ("y", bottom + 18), ("text-anchor", "middle"));
        }
        svg.Text("text", data.XLabel, ("x", (left + right) / 2), ("y", Height - 12.0), ("text-anchor", "middle"));
        svg.Close();
        svg.Open("g", ("class", "y-axis"));
        foreach (double tick in y.Ticks)
        {
            svg.Empty("line", ("x1", left), ("y1", Y(tick)), ("x2", right), ("y2", Y(tick)), ("stroke", "#e5e5e5"));
            svg.Empty("line", ("x1", left - 5), ("y1", Y(tick)), ("x2", left), ("y2", Y(tick)), ("stroke", "#333333"));
            svg.Text("text", y.Label(tick), ("x", left - 8), ("y", Y(tick) + 4), ("text-anchor", "end"));
        }
        svg.Text("text", data.YLabel, ("x", 16.0), ("y", (top + bottom) / 2), ("text-anchor", "middle"),
            ("transform", "rotate(-90 16 " + SvgWriter.Number((top + bottom) / 2) + ")"));
        svg.Close();
        svg.Empty("rect", ("x", left), ("y", top), ("width", right - left), ("height", bottom - top), ("fill", "none"), ("stroke", "#333333"));

        // Budgets: a cost budget's label at the bottom beside its line, where a front has no points (its costly subnets are its accurate ones).
        foreach (var bound in data.XBounds)
        {
            double at = X(bound.Value);
            svg.Open("g", ("class", "budget"));
            svg.Empty("line", ("x1", at), ("y1", top), ("x2", at), ("y2", bottom), ("stroke", BoundColour), ("stroke-width", 1.5), ("stroke-dasharray", "6 4"));
            bool fitsLeft = at - 4 - bound.Label.Length * CharWidth >= left;
            svg.Text("text", bound.Label, ("x", fitsLeft ? at - 4 : at + 4), ("y", bottom - 8), ("text-anchor", fitsLeft ? "end" : "start"), ("fill", BoundColour),
                Halo.Stroke, Halo.Width, Halo.Order);
            svg.Close();
        }
        foreach (var bound in data.YBounds)
        {
            double at = Y(bound.Value);
            svg.Open("g", ("class", "budget"));
            svg.Empty("line", ("x1", left), ("y1", at), ("x2", right), ("y2", at), ("stroke", BoundColour), ("stroke-width", 1.5), ("stroke-dasharray", "6 4"));
            // Below the line at the right (accurate subnets are above it), unless the cost budgets' labels are down there.
            bool below = at + FontSize + 4 <= bottom - FontSize - 12;
            svg.Text("text", bound.Label, ("x", right - 6), ("y", below ? at + FontSize + 2 : at - 6), ("text-anchor", "end"), ("fill", BoundColour),
                Halo.Stroke, Halo.Width, Halo.Order);
            svg.Close();
        }

        // The front: best accuracy reachable within a cost is a step function of the cost.
        var front = data.Points.OrderBy(p => p.X).ThenBy(p => p.Y).ToList();
        if (front.Count > 1)
        {
            var path = new StringBuilder();
            path.Append('M').Append(SvgWriter.Number(X(front[0].X))).Append(' ').Append(SvgWriter.Number(Y(front[0].Y)));
            for (int i = 1; i < front.Count; i++)
                path.Append(" H").Append(SvgWriter.Number(X(front[i].X))).Append(" V").Append(SvgWriter.Number(Y(front[i].Y)));
            svg.Empty("path", ("class", "front"), ("d", path.ToString()), ("fill", "none"), ("stroke", PointColour), ("stroke-opacity", 0.45), ("stroke-width", 1.5));
        }
        foreach (var point in front.Append(data.Pick))
            if (point.Low is double lowEnd && point.High is double highEnd)
                svg.Empty("line", ("class", "interval"), ("x1", X(point.X)), ("y1", Y(lowEnd)), ("x2", X(point.X)), ("y2", Y(highEnd)),
                    ("stroke", ReferenceEquals(point, data.Pick) ? PickColour : PointColour), ("stroke-opacity", 0.6), ("stroke-width", 1.5));
        foreach (var point in front)
        {
            svg.Open("circle", ("class", "point"), ("cx", X(point.X)), ("cy", Y(point.Y)), ("r", 4.0), ("fill", PointColour));
            svg.Text("title", point.Tooltip);
            svg.Close();
        }

        // The pick last, over any front point it coincides with.
        double px = X(data.Pick.X), py = Y(data.Pick.Y);
        svg.Open("g", ("class", "pick"));
        svg.Open("path", ("d", Diamond(px, py, 8)), ("fill", PickColour), ("stroke", "#ffffff"), ("stroke-width", 1.5));
        svg.Text("title", data.Pick.Tooltip);
        svg.Close();
        // Below and right of the pick no front point can be (it would be costlier and less accurate); failing room
        // there, above and left, where no front point is either (it would be cheaper and more accurate).
        double labelWidth = data.PickLabel.Length * (CharWidth + 0.6);
        bool belowRight = px + 8 + labelWidth <= right && py + 8 + FontSize <= bottom;
        svg.Text("text", data.PickLabel, ("x", belowRight ? px + 8 : px - 10), ("y", belowRight ? py + 8 + FontSize : Math.Max(py - 10, top + FontSize)),
            ("text-anchor", belowRight ? "start" : "end"), ("fill", PickColour), ("font-weight", "bold"), Halo.Stroke, Halo.Width, Halo.Order);
        svg.Close();

        svg.Close();
        return svg.ToString();
    }

    // A white outline under annotation text keeps it readable where it crosses grid lines, dashes or points.
    private static class Halo
    {
        public static readonly (string, object) Stroke = ("stroke", "#ffffff");
        public static readonly (string, object) Width = ("stroke-width", 3);
        public static readonly (string, object) Order = ("paint-order", "stroke");
    }

    private static string Diamond(double x, double y, double r) =>
        "M" + SvgWriter.Number(x) + " " + SvgWriter.Number(y - r) + " L" + SvgWriter.Number(x + r) + " " + SvgWriter.Number(y)
        + " L" + SvgWriter.Number(x) + " " + SvgWriter.Number(y + r) + " L" + SvgWriter.Number(x - r) + " " + SvgWriter.Number(y) + " Z";
}
