using Disco.Core.Vectors;
using Disco.TestSupport;

namespace Disco.Modeling.Tests;

public class BertForMaskedLMGoldenTests
{
    public static TheoryData<string> Checkpoints => [Fixtures.TinySplade, Fixtures.TinySpladeBin];

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Documents_match_the_reference_max_and_sum_vectors(string dir)
    {
        using var model = HfCheckpoint.Load(dir, out var report, null);
        Assert.Empty(report.MissingKeys);
        Assert.Empty(report.UnexpectedKeys);
        foreach (var doc in GoldenRecords.Documents)
        {
            VectorAssert.Close(doc.Max, ModelRunner.Represent(model, [doc.Ids], SpladeAggregation.Max)[0], $"{doc.Id} max");
            VectorAssert.Close(doc.Sum, ModelRunner.Represent(model, [doc.Ids], SpladeAggregation.Sum)[0], $"{doc.Id} sum");
        }
    }

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Conversations_match_the_reference_max_vectors(string dir)
    {
        using var model = HfCheckpoint.Load(dir, out _, null);
        foreach (var c in GoldenRecords.Conversations)
            VectorAssert.Close(c.Max, ModelRunner.Represent(model, [c.Ids], SpladeAggregation.Max)[0], c.Id);
    }

    [Fact]
    public void A_sequence_inside_a_padded_batch_gives_the_same_vector_as_alone()
    {
        using var model = HfCheckpoint.Load(Fixtures.TinySplade, out _, null);
        var docs = GoldenRecords.Documents.Take(6).Select(d => d.Ids).ToList();
        var batched = ModelRunner.Represent(model, docs, SpladeAggregation.Max);
        for (var i = 0; i < docs.Count; i++)
        {
            var alone = ModelRunner.Represent(model, [docs[i]], SpladeAggregation.Max)[0];
            VectorAssert.Close(alone, batched[i], $"doc {i}");
        }
    }
}
