using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.Tests.Constraints;

/// <summary>constraints.json's <c>supernet.sha512</c>: how it is read, and how <see cref="SupernetPins"/> writes it into a file.</summary>
public class SupernetPinTests
{
    private static readonly string Hash = Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes("a package")));
    private static readonly string OtherHash = Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes("another package")));

    private static ConstraintsReadResult Read(string text) => ConstraintsReader.Read(text, ConstraintsText.FilePath);

    private static string WithPin(string pin) =>
        ConstraintsText.Valid.Replace("\"version\": \"1.0.0\"", $"\"version\": \"1.0.0\", \"sha512\": {pin}", StringComparison.Ordinal);

    [Fact]
    public void A_base64_sha512_is_read_into_the_supernet_reference()
    {
        var result = Read(WithPin($"\"{Hash}\""));

        Assert.Empty(result.Diagnostics);
        Assert.Equal(new SupernetReference("SubnetGen.Supernet.FashionMnist.CompOFA", "1.0.0", Hash), result.Document!.Models[0].Supernet);
        Assert.Null(Read(ConstraintsText.Valid).Document!.Models[0].Supernet.Sha512);
    }

    [Fact]
    public void A_hex_digest_is_refused_with_its_base64_form_as_the_fix()
    {
        byte[] digest = SHA512.HashData(Encoding.UTF8.GetBytes("a package"));
        string hex = Convert.ToHexString(digest).ToLowerInvariant(); // what sha512sum prints

        var diagnostic = Assert.Single(Read(WithPin($"\"{hex}\"")).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsInvalidSupernetHash, diagnostic.Code);
        Assert.Contains("hex digest", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal($"write \"sha512\": \"{Hash}\".", diagnostic.Fix);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"sha512-abc\"")]
    [InlineData("\"Z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=\"")]  // one '=' short
    [InlineData("\"Z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPh==\"")] // non-canonical last character
    [InlineData("\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"")]                                             // a SHA-256
    public void Anything_else_is_not_a_pin(string pin)
    {
        var diagnostic = Assert.Single(Read(WithPin(pin)).Diagnostics);

        Assert.Equal(DiagnosticCodes.ConstraintsInvalidSupernetHash, diagnostic.Code);
        Assert.Contains("subnetgen pin", diagnostic.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pin_of_another_type_is_a_wrong_type()
    {
        Assert.Equal(DiagnosticCodes.ConstraintsWrongType, Assert.Single(Read(WithPin("42")).Diagnostics).Code);
    }

    [Fact]
    public void The_example_pin_in_messages_and_docs_is_a_valid_pin()
    {
        Assert.Empty(Read(WithPin("\"" + PackageNames.ExampleSha512 + "\"")).Diagnostics);
        Assert.Equal(PackageNames.ExampleSha512, Convert.ToBase64String(SHA512.HashData(Array.Empty<byte>())));
    }

    [Fact]
    public void A_pin_goes_right_after_an_inline_version_and_nothing_else_changes()
    {
        string pinned = SupernetPins.Write(ConstraintsText.Valid, (_, _) => Hash);

        Assert.Equal(WithPin($"\"{Hash}\""), pinned);
        Assert.Equal(Hash, Read(pinned).Document!.Models[0].Supernet.Sha512);
    }

    [Fact]
    public void A_pin_gets_its_own_line_when_the_version_has_one_and_comments_stay()
    {
        const string text = "{\n  // models\n  \"models\": [ { \"name\": \"A\",\n    \"supernet\": {\n      \"id\": \"X.Y\",\n      \"version\": \"1.0.0\" // pinned below\n    },\n    \"targets\": { \"default\": { \"maxMacs\": 5 } } } ]\n}\n";

        string pinned = SupernetPins.Write(text, (name, supernet) => name == "A" && supernet.Id == "X.Y" && supernet.Sha512 is null ? Hash : null);

        Assert.Equal(text.Replace("\"version\": \"1.0.0\" //", $"\"version\": \"1.0.0\",\n      \"sha512\": \"{Hash}\" //", StringComparison.Ordinal), pinned);
        Assert.Empty(Read(pinned).Diagnostics);
    }

    [Fact]
    public void An_existing_pin_is_replaced_in_place_and_the_same_pin_changes_nothing()
    {
        string text = "\uFEFF" + WithPin($"\"{Hash}\"");
        SupernetReference? seen = null;

        string replaced = SupernetPins.Write(text, (_, supernet) => { seen = supernet; return OtherHash; });
        string same = SupernetPins.Write(text, (_, _) => Hash);

        Assert.Equal(Hash, seen!.Sha512);
        Assert.Equal(text.Replace(Hash, OtherHash, StringComparison.Ordinal), replaced);
        Assert.Same(text, same);
    }

    [Fact]
    public void Models_left_out_are_not_touched_and_each_model_gets_its_own_pin()
    {
        const string text = """
            { "models": [
              { "name": "A", "supernet": { "id": "X.A", "version": "1.0.0" }, "targets": { "default": { "maxMacs": 5 } } },
              { "name": "B", "supernet": { "version": "2.0.0", "id": "X.B" }, "targets": { "default": { "maxMacs": 5 } } },
              { "name": "C", "supernet": { "id": "X.C", "version": "3.0.0" }, "targets": { "default": { "maxMacs": 5 } } } ] }
            """;

        string pinned = SupernetPins.Write(text, (name, _) => name == "B" ? Hash : name == "C" ? OtherHash : null);

        var models = Read(pinned).Document!.Models;
        Assert.Equal(new string?[] { null, Hash, OtherHash }, models.Select(m => m.Supernet.Sha512));
        Assert.Contains($"\"version\": \"2.0.0\", \"sha512\": \"{Hash}\", \"id\": \"X.B\"", pinned, StringComparison.Ordinal);
        Assert.Same(text, SupernetPins.Write(text, (_, _) => null));
    }

    [Fact]
    public void Text_that_is_not_json_is_returned_as_it_is()
    {
        const string text = "{ \"models\": [ ";
        Assert.Same(text, SupernetPins.Write(text, (_, _) => Hash));
    }
}
