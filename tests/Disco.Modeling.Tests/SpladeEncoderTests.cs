using Disco.Core.Conversations;
using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Modeling.Tests;

public class SpladeEncoderTests
{
    public static TheoryData<string> Checkpoints => [Fixtures.TinySplade, Fixtures.TinySpladeBin];

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Encoding_texts_reproduces_the_golden_document_vectors(string dir)
    {
        var texts = GoldenRecords.Documents.Select(d => d.Text).ToList();
        using (var max = SpladeEncoder.Load(dir, new SpladeEncoderOptions(BatchSize: 7)))
        {
            var vectors = max.Encode(texts);
            for (var i = 0; i < texts.Count; i++)
                VectorAssert.Close(GoldenRecords.Documents[i].Max, vectors[i], GoldenRecords.Documents[i].Id);
        }
        using var sum = SpladeEncoder.Load(dir, new SpladeEncoderOptions(SpladeAggregation.Sum, BatchSize: 5));
        var sums = sum.Encode(texts);
        for (var i = 0; i < texts.Count; i++)
            VectorAssert.Close(GoldenRecords.Documents[i].Sum, sums[i], GoldenRecords.Documents[i].Id + " sum");
    }

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Flattened_conversations_reproduce_the_golden_vectors_and_rankings(string dir)
    {
        using var encoder = SpladeEncoder.Load(dir, new SpladeEncoderOptions(BatchSize: 4));
        var conversations = GoldenRecords.Conversations.Select(c => ConversationFile.Parse(c.Json, "golden_conversations.jsonl", 1)).ToList();
        var queries = encoder.Encode([.. conversations.Select(c => ConversationFlattener.Flatten(c))]);
        for (var i = 0; i < queries.Count; i++)
            VectorAssert.Close(GoldenRecords.Conversations[i].Max, queries[i], GoldenRecords.Conversations[i].Id);

        var docs = encoder.Encode([.. GoldenRecords.Documents.Select(d => d.Text)]);
        foreach (var ranking in GoldenRecords.Rankings)
        {
            var q = queries[GoldenRecords.Conversations.ToList().FindIndex(c => c.Id == ranking.Query)];
            var scores = GoldenRecords.Documents.Select((d, i) => (d.Id, Score: q.Dot(docs[i]))).ToDictionary(x => x.Id, x => x.Score);
            var top = scores.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10).ToList();
            for (var r = 0; r < 10; r++)
            {
                var expected = ranking.Top10[r];
                // A different document at this rank is allowed only if the two are tied within 1e-4.
                Assert.True(top[r].Key == expected.Doc || Math.Abs(scores[expected.Doc] - top[r].Value) < 1e-4,
                    $"{ranking.Query} rank {r + 1}: expected {expected.Doc} ({expected.Score}), got {top[r].Key} ({top[r].Value})");
                Assert.True(Math.Abs(top[r].Value - expected.Score) <= 1e-3 * Math.Abs(expected.Score) + 1e-4, $"{ranking.Query} rank {r + 1} score");
            }
        }
    }

    [Fact]
    public void Token_id_input_and_batching_do_not_change_vectors()
    {
        var ids = GoldenRecords.Documents.Select(d => d.Ids).ToList();
        using var one = SpladeEncoder.Load(Fixtures.TinySplade, new SpladeEncoderOptions(BatchSize: 1));
        using var many = SpladeEncoder.Load(Fixtures.TinySplade, new SpladeEncoderOptions(BatchSize: 16));
        var alone = one.EncodeTokenIds(ids);
        var batched = many.EncodeTokenIds(ids);
        for (var i = 0; i < ids.Count; i++)
        {
            VectorAssert.Close(GoldenRecords.Documents[i].Max, alone[i], $"alone {i}");
            VectorAssert.Close(alone[i], batched[i], $"batched {i}");
        }
    }

    [Fact]
    public void Top_k_and_min_weight_prune_each_vector()
    {
        var text = GoldenRecords.Documents[0].Text;
        using var full = SpladeEncoder.Load(Fixtures.TinySplade);
        using var pruned = SpladeEncoder.Load(Fixtures.TinySplade, new SpladeEncoderOptions(TopK: 10, MinWeight: 0.3f));
        var expected = full.Encode([text])[0].Prune(10, 0.3f);
        var actual = pruned.Encode([text])[0];
        Assert.Equal(expected.Indices, actual.Indices);
        Assert.Equal(expected.Values, actual.Values);
        Assert.InRange(actual.Count, 1, 10);
        Assert.All(actual.Values, w => Assert.True(w >= 0.3f));
    }

    [Fact]
    public void Encoding_leaves_a_training_model_in_training_mode_and_reports_progress()
    {
        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade, new SpladeEncoderOptions(BatchSize: 3));
        encoder.Model.train();
        var progress = new CountingProgress();
        var vectors = encoder.Encode([.. GoldenRecords.Documents.Take(7).Select(d => d.Text)], progress);
        Assert.True(encoder.Model.training);
        Assert.Equal(7, progress.Total);
        // Dropout was off while encoding: the result matches the golden vector.
        VectorAssert.Close(GoldenRecords.Documents[0].Max, vectors[0], "d0");
    }

    private sealed class CountingProgress : IProgress<long>
    {
        public long Total { get; private set; }

        public void Report(long value) => Total += value;
    }

    [Fact]
    public void Bfloat16_precision_stays_close_to_the_golden_vectors()
    {
        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade, new SpladeEncoderOptions(Precision: SpladePrecision.Bf16));
        Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, encoder.Model.WordEmbeddings.dtype);
        var vectors = encoder.Encode([.. GoldenRecords.Documents.Select(d => d.Text)]);
        var errors = GoldenRecords.Documents.Select((d, i) =>
        {
            var e = d.Max;
            var a = vectors[i];
            return Math.Sqrt(Math.Max(0, e.Dot(e) - 2 * e.Dot(a) + a.Dot(a)) / e.Dot(e));
        }).ToList();
        var conversations = GoldenRecords.Conversations.Select(c => ConversationFile.Parse(c.Json, "golden", 1)).ToList();
        var queries = encoder.Encode([.. conversations.Select(c => ConversationFlattener.Flatten(c))]);
        var overlap = GoldenRecords.Rankings.Average(r =>
        {
            var q = queries[conversations.FindIndex(c => c.Id == r.Query)];
            var top = GoldenRecords.Documents.Select((d, i) => (d.Id, Score: q.Dot(vectors[i]))).OrderByDescending(x => x.Score).Take(10).Select(x => x.Id);
            return top.Intersect(r.Top10.Select(h => h.Doc)).Count() / 10.0;
        });
        // bfloat16 keeps 8 mantissa bits: a few percent per vector, far from float32's 1e-4, while
        // the rankings stay nearly the same.
        Assert.True(errors.Average() < 0.05 && overlap >= 0.9, $"mean relative L2 error {errors.Average():F4}, top-10 overlap {overlap:F3}");
        Assert.True(errors.Max() > 1e-5, "bfloat16 should differ from the float32 reference");
    }

    [Fact]
    public void Invalid_token_sequences_are_refused_with_their_position()
    {
        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade);
        Assert.Empty(encoder.EncodeTokenIds([]));
        var e = Assert.Throws<ArgumentException>(() => encoder.EncodeTokenIds([[101, 102], []]));
        Assert.Contains("sequence 1 is empty", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => encoder.EncodeTokenIds([[101, 30522, 102]]));
        Assert.Contains("token id 30522", e.Message, StringComparison.Ordinal);
    }
}
