using System.Globalization;
using Disco.Core.Conversations;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>
/// The expected behaviour of retrieval on the quickstart sample, computed without the index: every
/// passage and flattened conversation encoded by tiny-splade, scored by brute-force dot products,
/// and MRR@10 / recall@10 counted by hand from the qrels.
/// </summary>
internal sealed class SampleOracle
{
    public SampleOracle(string dataDir)
    {
        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade);
        var passages = TextRecordFile.Read(Path.Combine(dataDir, "collection.tsv")).ToList();
        var conversations = ConversationFile.Read(Path.Combine(dataDir, "conversations.jsonl")).ToList();
        var docVectors = encoder.Encode([.. passages.Select(p => p.Text)]);
        QueryVectors = conversations.Zip(encoder.Encode([.. conversations.Select(c => ConversationFlattener.Flatten(c))]))
            .ToDictionary(p => p.First.Id, p => p.Second);
        Scores = QueryVectors.ToDictionary(
            q => q.Key,
            q => passages.Select((p, i) => (p.Id, Score: q.Value.Dot(docVectors[i]))).Where(s => s.Score > 0).ToDictionary(s => s.Id, s => s.Score));
        Relevant = File.ReadLines(Path.Combine(dataDir, "qrels.trec")).Select(l => l.Split(' '))
            .Where(f => int.Parse(f[3], CultureInfo.InvariantCulture) >= 1)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Select(f => f[2]).ToHashSet());
    }

    public Dictionary<string, SparseVector> QueryVectors { get; }

    /// <summary>qid → docid → q·d for every passage with a positive score.</summary>
    public Dictionary<string, Dictionary<string, double>> Scores { get; }

    public Dictionary<string, HashSet<string>> Relevant { get; }

    public List<string> Ranking(string qid) => [.. Scores[qid].OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key)];

    public double MeanReciprocalRankAt10() => Relevant.Average(q =>
    {
        var rank = Ranking(q.Key).Take(10).ToList().FindIndex(q.Value.Contains);
        return rank < 0 ? 0 : 1.0 / (rank + 1);
    });

    public double RecallAt10() => Relevant.Average(q => (double)Ranking(q.Key).Take(10).Count(q.Value.Contains) / q.Value.Count);

    /// <summary>The run holds exactly the positively scored passages with their brute-force scores, in non-increasing order.</summary>
    public void AssertRunMatches(string trecRun)
    {
        var run = File.ReadLines(trecRun).Select(l => l.Split(' ')).GroupBy(f => f[0])
            .ToDictionary(g => g.Key, g => g.Select(f => (Doc: f[2], Score: double.Parse(f[4], CultureInfo.InvariantCulture))).ToList());
        Assert.Equal(Scores.Keys.Order(), run.Keys.Order());
        foreach (var (qid, hits) in run)
        {
            var expected = Scores[qid];
            Assert.Equal(expected.Keys.Order(), hits.Select(h => h.Doc).Order());
            foreach (var (doc, score) in hits)
                Assert.True(Math.Abs(score - expected[doc]) <= 1e-3 * Math.Max(1, expected[doc]), $"{qid} {doc}: run {score}, brute force {expected[doc]}");
            for (var i = 1; i < hits.Count; i++)
                Assert.True(expected[hits[i - 1].Doc] >= expected[hits[i].Doc] - 1e-4, $"{qid}: {hits[i - 1].Doc} ranked above {hits[i].Doc} with a lower score");
        }
    }
}
