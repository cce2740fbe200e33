using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SubnetGen.Core.Constraints;

namespace SubnetGen.Core.Tests.Constraints;

/// <summary>The JSON Schema for editors and docs/constraints.md describe exactly the keys the reader takes.</summary>
public class SchemaAndDocsTests
{
    private static JsonElement Schema()
    {
        string text = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "subnetgen.constraints.schema.json"));
        return JsonDocument.Parse(text).RootElement;
    }

    private static JsonElement Definition(JsonElement schema, string name) => schema.GetProperty("definitions").GetProperty(name);

    private static IEnumerable<string> PropertyNames(JsonElement objectSchema)
    {
        Assert.False(objectSchema.GetProperty("additionalProperties").GetBoolean());
        return objectSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).OrderBy(n => n, System.StringComparer.Ordinal);
    }

    private static IEnumerable<string> Keys(KeyLevel level) => level.Keys.Select(k => k.Name).OrderBy(n => n, System.StringComparer.Ordinal);

    [Fact]
    public void SchemaHasTheReadersKeysAtEveryLevel()
    {
        var schema = Schema();
        Assert.Equal(Keys(ConstraintKeys.Root), PropertyNames(schema));
        Assert.Equal(Keys(ConstraintKeys.Model), PropertyNames(Definition(schema, "model")));
        Assert.Equal(Keys(ConstraintKeys.SupernetLevel), PropertyNames(Definition(schema, "supernet")));
        Assert.Equal(Keys(ConstraintKeys.Target), PropertyNames(Definition(schema, "target")));
    }

    [Fact]
    public void SchemaRequiresWhatTheReaderRequires()
    {
        var schema = Schema();
        static string[] Required(JsonElement e) => e.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "models" }, Required(schema));
        Assert.Equal(new[] { "name", "supernet", "targets" }, Required(Definition(schema, "model")));
        Assert.Equal(new[] { "id", "version" }, Required(Definition(schema, "supernet")));
    }

    [Fact]
    public void SchemaNameAndVersionPatternsAgreeWithTheReader()
    {
        var schema = Schema();
        var version = new System.Text.RegularExpressions.Regex(
            Definition(schema, "supernet").GetProperty("properties").GetProperty("version").GetProperty("pattern").GetString()!);
        var name = new System.Text.RegularExpressions.Regex(
            Definition(schema, "model").GetProperty("properties").GetProperty("name").GetProperty("pattern").GetString()!);

        foreach (var v in new[] { "1.0.0", "0.1.0-beta.2" }) Assert.Matches(version, v);
        foreach (var v in new[] { "1.0", "1.*", "v1.0.0" }) Assert.DoesNotMatch(version, v);
        foreach (var n in new[] { "FashionClassifier", "_model2" }) Assert.Matches(name, n);
        foreach (var n in new[] { "fashion-classifier", "2fast", "" }) Assert.DoesNotMatch(name, n);
    }

    [Fact]
    public void SchemaPinPatternAgreesWithTheReader()
    {
        var pin = new System.Text.RegularExpressions.Regex(
            Definition(Schema(), "supernet").GetProperty("properties").GetProperty("sha512").GetProperty("pattern").GetString()!);
        var hashes = new[] { "", "a package", "another" }.Select(t =>
            System.Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(System.Text.Encoding.UTF8.GetBytes(t))));

        foreach (var h in hashes) Assert.Matches(pin, h);
        foreach (var h in hashes.Select(h => h.TrimEnd('=')).Append(new string('a', 128)).Append(PackageNames.ExampleSha512.Replace("Pg==", "Ph==")))
            Assert.DoesNotMatch(pin, h);
    }

    [Fact]
    public void ReferenceDocumentsEveryKey()
    {
        string doc = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "constraints.md"));

        var missing = ConstraintKeys.All.SelectMany(l => l.Keys).Select(k => k.Name).Where(k => !doc.Contains("`" + k + "`")).ToList();

        Assert.Empty(missing);
    }
}
