using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SubnetGen.Core.Search;

namespace SubnetGen.Pipeline;

/// <summary>
/// <c>&lt;Model&gt;.pareto.json</c> beside the artifact: the Pareto report's facts for tools (docs/search.md). Keys in a
/// fixed order, numbers round-trippable, '\n' newlines on every OS, so the same search writes the same bytes.
/// </summary>
public static class ParetoJson
{
    /// <summary>Bumped only when a field changes meaning or goes away; readers ignore fields they do not know.</summary>
    public const int FormatVersion = 1;

    public static string Render(ParetoSubject subject)
    {
        var result = subject.Result;
        using var stream = new MemoryStream();
        // Relaxed escaping keeps architectures readable ("+" and non-ASCII unescaped); the file is never inlined into HTML.
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("formatVersion", FormatVersion);
            json.WriteString("model", subject.Model);
            json.WriteString("target", subject.Target);
            json.WriteStartObject("supernet");
            json.WriteString("id", subject.SupernetId);
            json.WriteString("version", subject.SupernetVersion);
            json.WriteEndObject();
            json.WriteString("method", result.Method.ToString().ToLowerInvariant());
            json.WriteNumber("evaluated", result.Evaluated);

            // Each key the target sets, in the unit constraints.json writes it in (KB, ms, MACs, parameters, fraction).
            json.WriteStartObject("budget");
            foreach (var key in BudgetKey.All)
                if (key.Limit(subject.Budget) is double limit) json.WriteNumber(key.Name, key.InKeyUnit(limit));
            json.WriteEndObject();
            if (subject.Budget.Minimize is { } objective) json.WriteString("minimize", objective.ObjectiveName);
            else json.WriteNull("minimize");
            if (subject.Caveat is null) json.WriteNull("caveat");
            else json.WriteString("caveat", subject.Caveat);

            json.WritePropertyName("pick");
            Point(json, subject.Pick);
            json.WriteStartObject("fronts");
            foreach (var (cost, points) in subject.Fronts)
            {
                json.WriteStartArray(cost.ObjectiveName!);
                foreach (var point in points) Point(json, point);
                json.WriteEndArray();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
    }

    /// <summary>
    /// One subnet: the same fields for the pick and every front point. <c>predictedAccuracy</c> is what the search
    /// maximised; <c>heldOut</c>, only when the supernet ships <c>promise.json</c>, is the promise: the accuracy on
    /// held-out images with its interval. It goes after the others, so a reader of the first files still reads these.
    /// </summary>
    private static void Point(Utf8JsonWriter json, ParetoPoint point)
    {
        json.WriteStartObject();
        json.WriteString("config", point.Config.ToString());
        json.WriteNumber("predictedAccuracy", point.PredictedAccuracy);
        json.WriteNumber("macs", point.Macs);
        json.WriteNumber("peakMemoryBytes", point.PeakMemoryBytes);
        json.WriteNumber("weightBytes", point.WeightBytes);
        if (point.LatencyMs is double ms) json.WriteNumber("latencyMs", ms);
        else json.WriteNull("latencyMs");
        if (point.Promise is { } promise)
        {
            json.WriteStartObject("heldOut");
            json.WriteNumber("accuracy", promise.Accuracy);
            json.WriteNumber("lower", promise.Lower);
            json.WriteNumber("upper", promise.Upper);
            json.WriteNumber("confidence", promise.Confidence);
            json.WriteNumber("images", promise.Images);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
