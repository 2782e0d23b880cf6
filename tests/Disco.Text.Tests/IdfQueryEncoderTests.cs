using Disco.Core;
using Disco.TestSupport;

namespace Disco.Text.Tests;

public class IdfQueryEncoderTests
{
    private static string DocOnlyFolder(TempDirectory dir, string idfJson)
    {
        foreach (var name in new[] { "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
            File.Copy(Path.Combine(Fixtures.TinySplade, name), Path.Combine(dir.Path, name));
        File.WriteAllText(Path.Combine(dir.Path, "idf.json"), idfJson);
        return dir.Path;
    }

    [Fact]
    public void A_query_weighs_each_distinct_token_by_its_idf()
    {
        using var dir = new TempDirectory();
        var folder = DocOnlyFolder(dir, """{"paris": 3.5, "capital": 2.25, "france": 4, "the": 0.5, "of": 0, "[CLS]": 9, "[SEP]": 9, "notaword": 7}""");
        Assert.True(IdfQueryEncoder.IsDocOnlyFolder(folder));
        using var encoder = IdfQueryEncoder.Load(folder);
        var vector = encoder.Encode(["The capital of France? Paris, the capital!"])[0];
        // Hand-computed: bert-base-uncased ids the=1996, paris=3000, france=2605, capital=3007. "the" and
        // "capital" count once; "of" weighs 0; "?", "," and "!" are not in idf.json; [CLS]/[SEP] are left out.
        Assert.Equal([1996, 2605, 3000, 3007], vector.Indices);
        Assert.Equal([0.5f, 4f, 3.5f, 2.25f], vector.Values);
        Assert.Empty(encoder.Encode([""])[0].Indices);
    }

    [Theory]
    [InlineData("""{"paris": "high"}""", "token \"paris\" has weight \"high\"; idf.json weights must be numbers")]
    [InlineData("""{"paris": null}""", "token \"paris\" has weight null; idf.json weights must be numbers")]
    [InlineData("""{"paris": -1}""", "token \"paris\" has weight -1; idf.json weights must be finite and not negative")]
    [InlineData("""[1, 2]""", "JSON object")]
    public void A_malformed_idf_json_is_a_one_line_error_naming_the_file(string json, string expected)
    {
        using var dir = new TempDirectory();
        var folder = DocOnlyFolder(dir, json);
        var e = Assert.ThrowsAny<DiscoException>(() => IdfQueryEncoder.Load(folder));
        Assert.StartsWith(Path.Combine(folder, "idf.json"), e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
