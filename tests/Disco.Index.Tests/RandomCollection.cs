using Disco.Core.Vectors;

namespace Disco.Index.Tests;

/// <summary>
/// Random sparse documents and queries for property tests. Weights come from a small set of
/// values half of the time so that tied scores are common.
/// </summary>
internal sealed class RandomCollection
{
    public RandomCollection(int seed, int maxDocs = 300, int maxVocabulary = 50)
    {
        Seed = seed;
        var random = new Random(seed);
        Vocabulary = [.. Enumerable.Range(0, random.Next(1, maxVocabulary)).Select(i => $"t{i}")];
        var discrete = random.Next(2) == 0;
        float Weight() => discrete ? random.Next(1, 5) * 0.5f : (float)(random.NextDouble() * 3) + 1e-3f;
        var docs = new List<TermVector>();
        var count = random.Next(0, maxDocs);
        for (var d = 0; d < count; d++)
        {
            var density = random.NextDouble() * 0.4;
            var terms = Vocabulary.Where(_ => random.NextDouble() < density).OrderBy(_ => random.Next()).ToArray();
            docs.Add(new TermVector($"doc-{d}", terms, [.. terms.Select(_ => Weight())]));
        }
        Documents = docs;
        var queries = new List<TermVector>();
        for (var q = 0; q < 12; q++)
        {
            var n = q == 0 ? 0 : random.Next(0, 9);
            // Some query terms are unknown to the index.
            var terms = Enumerable.Range(0, n).Select(_ => random.Next(8) == 0 ? $"unknown{random.Next(3)}" : Vocabulary[random.Next(Vocabulary.Length)]).Distinct().ToArray();
            queries.Add(new TermVector($"q{q}", terms, [.. terms.Select(_ => Weight())]));
        }
        Queries = queries;
        K = new[] { 1, 3, 10, 1000 }[random.Next(4)];
    }

    public int Seed { get; }

    public string[] Vocabulary { get; }

    public IReadOnlyList<TermVector> Documents { get; }

    public IReadOnlyList<TermVector> Queries { get; }

    public int K { get; }

    /// <summary>
    /// Builds the index, by default with a block-max section of blocks of 1 to 16 documents (by
    /// seed), so every exact algorithm runs on it; without it for tests of the main files alone.
    /// </summary>
    public string Build(string directory, ImpactEncoding impacts = ImpactEncoding.Float32, long segmentPostings = 1024, int rangeBits = IndexBuildOptions.DefaultRangeBits, bool blockMax = true)
    {
        using var builder = new IndexBuilder(directory, new IndexBuildOptions(impacts, segmentPostings, rangeBits) { BlockMax = blockMax ? new BlockMaxBuildOptions(Seed % 5) : null });
        foreach (var d in Documents)
            builder.Add(d);
        builder.Complete();
        return directory;
    }
}
