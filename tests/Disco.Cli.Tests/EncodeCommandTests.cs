using System.CommandLine;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.Core;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

[Collection(ConsoleCaptureTests.Name)]
public class EncodeCommandTests
{
    private static readonly string[] Vocabulary = File.ReadAllLines(Path.Combine(Fixtures.TinySplade, "vocab.txt"));

    private static int Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(ExpandCommand.Create());
        return CliErrors.Run(root, args);
    }

    internal static IEnumerable<JsonElement> Golden(string name) =>
        File.ReadLines(Fixtures.Golden(name)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());

    /// <summary>Compares a written vector (token strings) with a golden {indices, values} at the fixture tolerances.</summary>
    internal static void AssertClose(JsonElement expected, TermVector actual)
    {
        var want = expected.GetProperty("indices").EnumerateArray().Zip(expected.GetProperty("values").EnumerateArray())
            .ToDictionary(p => Vocabulary[p.First.GetInt32()], p => p.Second.GetDouble());
        var got = actual.Terms.Zip(actual.Weights).ToDictionary(p => p.First, p => (double)p.Second);
        foreach (var (term, w) in want)
        {
            if (!got.TryGetValue(term, out var g))
            {
                Assert.True(w < 1e-5, $"{actual.Id}: missing {term}");
                continue;
            }
            Assert.True(Math.Abs(g - w) <= 1e-4 || Math.Abs(g - w) <= 1e-3 * w, $"{actual.Id}: {term} expected {w}, got {g}");
        }
        Assert.All(got, kv => Assert.True(want.ContainsKey(kv.Key) || kv.Value < 1e-5, $"{actual.Id}: unexpected {kv.Key}"));
    }

    [Fact]
    public void Encoding_a_tsv_collection_writes_the_golden_vectors_in_input_order()
    {
        using var dir = new TempDirectory();
        var docs = Golden("golden_documents.jsonl").ToList();
        File.WriteAllLines(dir.File("docs.tsv"), docs.Select(d => d.GetProperty("id").GetString() + "\t" + d.GetProperty("text").GetString()));
        Assert.Equal(0, Run("encode", "--model", Fixtures.TinySplade, "--input", dir.File("docs.tsv"), "--output", dir.File("out.jsonl"), "--batch-size", "8"));
        var written = VectorFile.Read(dir.File("out.jsonl")).ToList();
        Assert.Equal(docs.Select(d => d.GetProperty("id").GetString()), written.Select(v => v.Id));
        for (var i = 0; i < docs.Count; i++)
            AssertClose(docs[i].GetProperty("max"), written[i]);
    }

    [Fact]
    public void Encoding_conversations_flattens_them_and_writes_the_golden_query_vectors()
    {
        using var dir = new TempDirectory();
        var convs = Golden("golden_conversations.jsonl").ToList();
        File.WriteAllLines(dir.File("convs.jsonl"), convs.Select(c => JsonSerializer.Serialize(new { id = c.GetProperty("id").GetString(), turns = c.GetProperty("turns") })));
        Assert.Equal(0, Run("encode", "-m", Fixtures.TinySpladeBin, "-i", dir.File("convs.jsonl"), "-o", dir.File("q.jsonl"), "--threads", "1"));
        var written = VectorFile.Read(dir.File("q.jsonl")).ToList();
        Assert.Equal(convs.Count, written.Count);
        for (var i = 0; i < convs.Count; i++)
            AssertClose(convs[i].GetProperty("max"), written[i]);
    }

    [Fact]
    public void Top_k_limits_each_vector_and_bad_input_fails_without_touching_the_output()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("docs.jsonl"), "{\"id\": \"a\", \"text\": \"paris is the capital of france\"}\n{\"id\": 7, \"contents\": \"rome\"}\n");
        Assert.Equal(0, Run("encode", "-m", Fixtures.TinySplade, "-i", dir.File("docs.jsonl"), "-o", dir.File("out.jsonl"), "--top-k", "5"));
        var written = VectorFile.Read(dir.File("out.jsonl")).ToList();
        Assert.Equal(["a", "7"], written.Select(v => v.Id));
        Assert.All(written, v => Assert.Equal(5, v.Terms.Length));

        var before = File.ReadAllBytes(dir.File("out.jsonl"));
        File.WriteAllText(dir.File("bad.jsonl"), "{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\"}\n");
        Assert.Equal(1, Run("encode", "-m", Fixtures.TinySplade, "-i", dir.File("bad.jsonl"), "-o", dir.File("out.jsonl")));
        Assert.Equal(before, File.ReadAllBytes(dir.File("out.jsonl")));
        Assert.Equal(2, Run("encode", "-m", Fixtures.TinySplade, "-i", dir.File("docs.jsonl"), "-o", dir.File("x.jsonl"), "--agg", "mean"));
        Assert.Equal(1, Run("encode", "-m", dir.Path, "-i", dir.File("docs.jsonl"), "-o", dir.File("x.jsonl")));
    }

    [Fact]
    public void Expand_prints_the_highest_weighted_golden_terms()
    {
        var doc = Golden("golden_documents.jsonl").First();
        var max = doc.GetProperty("max");
        var expected = max.GetProperty("indices").EnumerateArray().Zip(max.GetProperty("values").EnumerateArray())
            .OrderByDescending(p => p.Second.GetDouble()).Take(5).ToList();
        var previous = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            Assert.Equal(0, Run("expand", "--model", Fixtures.TinySplade, "--top", "5", doc.GetProperty("text").GetString()!));
        }
        finally
        {
            Console.SetOut(previous);
        }
        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.Equal(expected.Select(p => Vocabulary[p.First.GetInt32()]), lines.Select(l => l[0]));
        for (var i = 0; i < 5; i++)
        {
            // Printed with four decimals: within the fixture tolerance plus half a printed unit.
            var printed = double.Parse(lines[i][1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(printed, expected[i].Second.GetDouble() - 1.5e-4, expected[i].Second.GetDouble() + 1.5e-4);
        }
    }

    [Fact]
    public void Query_encoding_uses_the_query_encoder_of_a_disco_training_output()
    {
        using var dir = new TempDirectory();
        // DiSCo's layout: document encoder in DIR, query encoder in DIR/query. Here DIR's config is
        // unusable, so only a run that picks DIR/query can succeed.
        var query = Path.Combine(dir.Path, "model", "query");
        Directory.CreateDirectory(query);
        foreach (var file in Directory.GetFiles(Fixtures.TinySplade))
            File.Copy(file, Path.Combine(query, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(dir.Path, "model", "config.json"), "{\"model_type\": \"distilbert\"}");
        var conv = Golden("golden_conversations.jsonl").First();
        File.WriteAllText(dir.File("q.tsv"), conv.GetProperty("id").GetString() + "\t" + conv.GetProperty("flattened").GetString() + "\n");
        var model = Path.Combine(dir.Path, "model");
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(0, Run("encode", "-m", model, "-i", dir.File("q.tsv"), "-o", dir.File("q.jsonl"), "--kind", "query"));
        }
        finally
        {
            Console.SetError(previous);
        }
        AssertClose(conv.GetProperty("max"), VectorFile.Read(dir.File("q.jsonl")).Single());
        // No completion marker (an older or half-saved output): it loads, and says so on one line.
        var warning = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("warning: ", StringComparison.Ordinal));
        Assert.StartsWith($"warning: {model}: no {DiscoModelLayout.CompleteFile}", warning, StringComparison.Ordinal);
        Assert.Equal(1, Run("encode", "-m", model, "-i", dir.File("q.tsv"), "-o", dir.File("d.jsonl"), "--kind", "document"));
        Assert.False(File.Exists(dir.File("d.jsonl")));
    }
}
