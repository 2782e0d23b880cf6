using System.Globalization;
using System.Text.RegularExpressions;
using Disco.Core.Conversations;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Library.Tests;

/// <summary>
/// docs/library.md's example is samples/LibraryExample/Program.cs, and that program, built against
/// the public API and loading both DiSCo encoders by HuggingFace id (a cache holding the tiny
/// fixture), answers and ranks exactly as brute-force dot products say it should.
/// </summary>
public sealed partial class LibraryExampleTests
{
    private static readonly string ProgramPath = Path.Combine(Fixtures.RepoRoot, "samples", "LibraryExample", "Program.cs");

    [Fact]
    public void The_docs_example_is_the_sample_program_word_for_word()
    {
        var docs = File.ReadAllText(Path.Combine(Fixtures.RepoRoot, "docs", "library.md")).ReplaceLineEndings("\n");
        var block = CodeBlock().Match(docs);
        Assert.True(block.Success, "docs/library.md has no ```csharp block");
        Assert.Equal(File.ReadAllText(ProgramPath).ReplaceLineEndings("\n"), block.Groups[1].Value);
    }

    [Fact]
    public void The_example_answers_and_evaluates_like_brute_force()
    {
        using var dir = new TempDirectory();
        var data = ExampleRunner.SampleData(dir.File("data"));
        var example = Path.Combine(AppContext.BaseDirectory.Replace(Path.Combine("tests", "Disco.Library.Tests"), Path.Combine("samples", "LibraryExample"), StringComparison.Ordinal), "LibraryExample.dll");
        Assert.True(File.Exists(example), $"{example} was not built");
        var (code, output, error) = ExampleRunner.Run("dotnet", [example, data, dir.File("work")], dir.Path, ExampleRunner.FakeHub(dir.File("hub")), TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"exit {code}: {error}");
        AssertLikeBruteForce(output, data, dir.File("work"));
    }

    /// <summary>Checks the example's printed hits, its run file and its printed MRR@10 against an oracle computed here without an index.</summary>
    internal static void AssertLikeBruteForce(string output, string data, string work)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var queryText = lines.Single(l => l.StartsWith("query text: ", StringComparison.Ordinal))["query text: ".Length..];
        Assert.Equal("How do I keep it alive? [SEP] A starter of wild yeast and lactic acid bacteria makes it rise. [SEP] How does sourdough bread rise?", queryText);

        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade);
        var passages = TextRecordFile.Read(Path.Combine(data, "collection.tsv")).ToList();
        var passageVectors = encoder.Encode([.. passages.Select(p => p.Text)]);
        List<(string Doc, double Score)> Ranking(SparseVector query) =>
            [.. passages.Select((p, i) => (p.Id, Score: query.Dot(passageVectors[i]))).Where(s => s.Score > 0).OrderByDescending(s => s.Score).ThenBy(s => s.Id, StringComparer.Ordinal)];

        var hits = lines.Where(l => l.StartsWith("hit ", StringComparison.Ordinal)).Select(l => l.Split(' ')).Select(f => (Doc: f[1], Score: double.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
        var expectedHits = Ranking(encoder.Encode([queryText])[0]).Take(3).ToList();
        AssertSameRanking(expectedHits, hits, 1e-3);

        var conversations = ConversationFile.Read(Path.Combine(data, "conversations.jsonl")).ToList();
        var queryVectors = encoder.Encode([.. conversations.Select(c => ConversationFlattener.Flatten(c))]);
        var run = File.ReadLines(Path.Combine(work, "run.trec")).Select(l => l.Split(' ')).GroupBy(f => f[0])
            .ToDictionary(g => g.Key, g => g.Select(f => (Doc: f[2], Score: double.Parse(f[4], CultureInfo.InvariantCulture))).ToList());
        Assert.Equal(conversations.Select(c => c.Id).Order(), run.Keys.Order());
        var relevant = File.ReadLines(Path.Combine(data, "qrels.trec")).Select(l => l.Split(' ')).Where(f => int.Parse(f[3], CultureInfo.InvariantCulture) >= 1)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Select(f => f[2]).ToHashSet());
        var reciprocalRanks = new List<double>();
        for (var i = 0; i < conversations.Count; i++)
        {
            var expected = Ranking(queryVectors[i]).Take(100).ToList();
            AssertSameRanking(expected, run[conversations[i].Id], 1e-3);
            if (relevant.TryGetValue(conversations[i].Id, out var judged))
            {
                var rank = expected.Take(10).ToList().FindIndex(h => judged.Contains(h.Doc));
                reciprocalRanks.Add(rank < 0 ? 0 : 1.0 / (rank + 1));
            }
        }
        var evaluated = Evaluated().Match(output);
        Assert.True(evaluated.Success, output);
        Assert.Equal(reciprocalRanks.Count, int.Parse(evaluated.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(reciprocalRanks.Average(), double.Parse(evaluated.Groups[2].Value, CultureInfo.InvariantCulture), 4);
    }

    /// <summary>Same documents, same scores within <paramref name="tolerance"/>, non-increasing; tied documents may swap.</summary>
    private static void AssertSameRanking(List<(string Doc, double Score)> expected, List<(string Doc, double Score)> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        var scores = expected.ToDictionary(e => e.Doc, e => e.Score);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.True(scores.ContainsKey(actual[i].Doc), $"{actual[i].Doc} is not in the expected top {expected.Count}");
            Assert.True(Math.Abs(actual[i].Score - expected[i].Score) <= tolerance * Math.Max(1, expected[i].Score), $"rank {i + 1}: {actual[i]} vs {expected[i]}");
            Assert.True(Math.Abs(scores[actual[i].Doc] - expected[i].Score) <= tolerance * Math.Max(1, expected[i].Score), $"rank {i + 1}: {actual[i].Doc} ranked where {expected[i].Doc} belongs");
        }
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"evaluated (\d+) queries: mrr_10 ([0-9.]+)")]
    private static partial Regex Evaluated();
}
