using Disco.Core.Vectors;

namespace Disco.Index.Tests;

/// <summary>
/// A small topically clustered collection (the test-sized twin of the benchmark generator): each
/// topic prefers its own slice of the vocabulary; a document mixes one to three topics plus a few
/// background terms; a query is drawn from one topic. Documents arrive in random topic order, so
/// input order carries no clustering. With a <c>quantum</c>, every weight is rounded to a multiple
/// of it, so that many scores tie exactly.
/// </summary>
internal sealed class ClusteredTestCollection
{
    public ClusteredTestCollection(int seed, int documents, int topics = 40, int vocabulary = 3000, int queries = 60, float? quantum = null)
    {
        var random = new Random(seed);
        float Quantize(double w) => quantum is float q ? MathF.Max(q, MathF.Round((float)w / q) * q) : (float)w;
        Vocabulary = [.. Enumerable.Range(0, vocabulary).Select(i => $"w{i}")];
        var topicTerms = Enumerable.Range(0, topics).Select(_ => Enumerable.Range(0, 80).Select(_ => random.Next(vocabulary)).Distinct().ToArray()).ToArray();
        TermVector Draw(string id, int[] mix, int length, int background)
        {
            var weights = new Dictionary<string, float>();
            for (var i = 0; i < length; i++)
            {
                var terms = topicTerms[mix[random.Next(mix.Length)]];
                // Skewed within a topic: its first terms are the most frequent and the heaviest.
                var rank = (int)(terms.Length * Math.Pow(random.NextDouble(), 2));
                var term = Vocabulary[terms[rank]];
                weights[term] = Math.Max(weights.GetValueOrDefault(term), Quantize(0.3 + (2.5 * random.NextDouble() * (1 - ((double)rank / terms.Length)))));
            }
            for (var i = 0; i < background; i++)
                weights.TryAdd(Vocabulary[random.Next(vocabulary)], Quantize(0.05 + (0.4 * random.NextDouble())));
            return new TermVector(id, [.. weights.Keys], [.. weights.Values]);
        }
        Topics = new int[documents];
        var docs = new List<TermVector>();
        for (var d = 0; d < documents; d++)
        {
            var mix = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(topics)).ToArray();
            Topics[d] = mix[0];
            docs.Add(Draw($"d{d}", mix, random.Next(20, 60), random.Next(3, 10)));
        }
        Documents = docs;
        Queries = [.. Enumerable.Range(0, queries).Select(q => Draw($"q{q}", [random.Next(topics)], random.Next(6, 16), 2))];
    }

    public string[] Vocabulary { get; }

    public IReadOnlyList<TermVector> Documents { get; }

    /// <summary>The first (main) topic of each document.</summary>
    public int[] Topics { get; }

    public IReadOnlyList<TermVector> Queries { get; }
}
