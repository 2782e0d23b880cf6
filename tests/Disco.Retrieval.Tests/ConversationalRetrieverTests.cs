using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.TestSupport;

namespace Disco.Retrieval.Tests;

public sealed class ConversationalRetrieverTests(RetrieverFixture fixture) : IClassFixture<RetrieverFixture>
{
    private ConversationalRetriever Retriever(SearchOptions? search = null) => new(fixture.Encoder, fixture.Index, new RetrieverOptions(Search: search));

    private static List<(string Doc, double Score)> Top(SearchResult result) => [.. result.Documents.Select(d => (d.DocumentId, (double)d.Score))];

    [Fact]
    public void A_conversation_its_flattened_text_and_its_vector_each_reproduce_the_golden_ranking()
    {
        var retriever = Retriever();
        foreach (var conversation in GoldenFixture.Conversations.Where(c => GoldenFixture.Rankings.ContainsKey(c.Id)))
        {
            var byConversation = retriever.Search(conversation, topK: 10);
            Assert.Equal(GoldenFixture.Flattened[conversation.Id], byConversation.Query.Text);
            GoldenFixture.AssertGolden(conversation.Id, Top(byConversation));
            GoldenFixture.AssertGolden(conversation.Id, Top(retriever.Search(GoldenFixture.Flattened[conversation.Id], topK: 10)));
            GoldenFixture.AssertGolden(conversation.Id, Top(retriever.Search(byConversation.Query.Vector!, topK: 10)));
            Assert.NotNull(byConversation.Latency);
        }
    }

    [Fact]
    public void Batched_threaded_search_latency_mode_and_single_queries_agree()
    {
        var retriever = Retriever(new SearchOptions(TopK: 10));
        var queries = GoldenFixture.Conversations.Select(Query.FromConversation).ToList();
        var batched = retriever.SearchMany(queries, batch: new BatchSearchOptions(Threads: 3));
        var timed = retriever.SearchMany(queries, batch: new BatchSearchOptions(Latencies: true, EncodeBatchSize: 2));
        Assert.Null(batched.Latencies);
        Assert.Equal(queries.Count, timed.Latencies!.Queries);
        Assert.All(timed.Results, r => Assert.True(r.Latency!.SearchMilliseconds >= 0 && r.Latency.EncodeMilliseconds > 0));
        for (var i = 0; i < queries.Count; i++)
        {
            var single = Top(retriever.Search(queries[i]));
            Assert.Equal(queries[i].Id, batched.Results[i].QueryId);
            foreach (var other in new[] { Top(batched.Results[i]), Top(timed.Results[i]) })
            {
                Assert.Equal(single.Count, other.Count);
                for (var r = 0; r < single.Count; r++)
                    Assert.True(Math.Abs(single[r].Score - other[r].Score) < 1e-4 && (single[r].Doc == other[r].Doc || Math.Abs(single[r].Score - single.Single(s => s.Doc == other[r].Doc).Score) < 1e-4));
            }
        }
        var run = batched.ToRun();
        Assert.Equal(queries.Select(q => q.Id), run.Keys);
        Assert.Equal(batched.Results[0].Documents[0].Score, run[queries[0].Id].Documents[0].Score);
    }

    [Fact]
    public void Matched_terms_are_the_query_terms_the_document_holds_and_add_up_to_its_score()
    {
        var retriever = Retriever(new SearchOptions(TopK: 5, Explain: true));
        var conversation = GoldenFixture.Conversations[0];
        var result = retriever.Search(Query.FromConversation(conversation));
        var documents = GoldenFixture.Documents.ToDictionary(d => d.Id, d => d.Text);
        var queryVector = result.Query.Vector!;
        foreach (var hit in result.Documents)
        {
            // Encoded alone rather than in the index's batch: the same weights up to float rounding.
            var docVector = fixture.Encoder.Encode([documents[hit.DocumentId]])[0];
            var expected = new Dictionary<string, (float Query, float Document)>();
            queryVector.ForEachShared(docVector, (term, q, d) => expected.Add(fixture.Encoder.Vocabulary[term], (q, d)));
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), hit.MatchedTerms!.Select(t => t.Token).Order(StringComparer.Ordinal));
            Assert.All(hit.MatchedTerms!, t => Assert.True(t.QueryWeight == expected[t.Token].Query && Math.Abs(t.DocumentWeight - expected[t.Token].Document) < 1e-5, t.Token));
            Assert.Equal(hit.Score, hit.MatchedTerms!.Sum(t => t.Contribution), 3);
            Assert.True(hit.MatchedTerms!.Zip(hit.MatchedTerms!.Skip(1)).All(p => p.First.Contribution >= p.Second.Contribution));
        }
        // Explaining afterwards gives the same terms as explaining during search.
        var later = ConversationalRetriever.Explain(Retriever(new SearchOptions(TopK: 5)).Search(Query.FromConversation(conversation)), 2);
        Assert.Equal(2, later.Count);
        Assert.Equal(result.Documents[0].MatchedTerms, later[0].MatchedTerms);
        Assert.Equal(result.Query.Vector!.Count, result.Query.Terms.Count);
        Assert.Equal(queryVector.Values.Max(), result.Query.Terms[0].Weight);
    }

    [Fact]
    public void Top_k_and_threshold_cut_the_ranking()
    {
        var all = Retriever().Search(GoldenFixture.Conversations[0]);
        Assert.True(all.Documents.Count > 3);
        Assert.Equal(all.Documents.Take(3), Retriever().Search(GoldenFixture.Conversations[0], topK: 3).Documents);
        var threshold = all.Documents[2].Score;
        Assert.Equal(all.Documents.Take(2), Retriever(new SearchOptions(Threshold: threshold)).Search(GoldenFixture.Conversations[0]).Documents);
        Assert.Throws<DiscoException>(() => Retriever(new SearchOptions(TopK: 0)));
    }

    [Fact]
    public void Replacing_the_index_moves_searches_to_it()
    {
        var half = GoldenFixture.Documents.Take(GoldenFixture.Documents.Count / 2).ToList();
        IndexBuilder.FromRecords(half, fixture.Encoder, fixture.File("half"));
        var retriever = Retriever();
        var before = retriever.Search(GoldenFixture.Conversations[0]);
        var replaced = retriever.ReplaceIndex(SparseIndex.Open(fixture.File("half")));
        using (retriever.Index)
        {
            Assert.Same(fixture.Index, replaced);
            var after = retriever.Search(GoldenFixture.Conversations[0]);
            var kept = half.Select(d => d.Id).ToHashSet();
            // The half was encoded in another batch: scores agree up to float rounding.
            var expected = before.Documents.Where(d => kept.Contains(d.DocumentId)).ToList();
            Assert.Equal(expected.Count, after.Documents.Count);
            Assert.All(expected.Zip(after.Documents), p => Assert.True(Math.Abs(p.First.Score - p.Second.Score) < 1e-4 && (p.First.DocumentId == p.Second.DocumentId || Math.Abs(p.First.Score - expected.Single(e => e.DocumentId == p.Second.DocumentId).Score) < 1e-4)));
            // A result from before the swap is still explained from its own index.
            Assert.NotEmpty(ConversationalRetriever.Explain(before, 1)[0].MatchedTerms!);
        }
    }

    [Fact]
    public void Without_an_encoder_only_term_vectors_can_be_searched()
    {
        var withEncoder = Retriever().Search(GoldenFixture.Conversations[0], topK: 10);
        var terms = TermVector.FromVector("c", withEncoder.Query.Vector!, fixture.Encoder.Vocabulary);
        var retriever = new ConversationalRetriever(null, fixture.Index);
        Assert.Equal(withEncoder.Documents, retriever.Search(Query.FromTerms(terms), new SearchOptions(TopK: 10)).Documents);
        Assert.Throws<DiscoException>(() => retriever.Search(GoldenFixture.Conversations[0]));
    }

    [Fact]
    public void Flattening_options_decide_the_text_encoded()
    {
        var conversation = new Conversation("c", [new Turn("what is a bee", "an insect"), new Turn("how do they make honey")]);
        var last = new ConversationalRetriever(fixture.Encoder, fixture.Index, new RetrieverOptions(new FlatteningOptions(FlatteningMode.LastQuestion)));
        Assert.Equal("how do they make honey", last.Encode(Query.FromConversation(conversation)).Text);
        Assert.Equal("how do they make honey [SEP] an insect [SEP] what is a bee", Retriever().Encode(Query.FromConversation(conversation)).Text);
    }

    [Fact]
    public void Index_built_from_memory_equals_the_one_built_from_the_collection_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("collection.tsv"), GoldenFixture.Documents.Select(d => $"{d.Id}\t{d.Text}"));
        IndexBuilder.FromCollection(dir.File("collection.tsv"), fixture.Encoder, dir.File("from-file"));
        using var fromFile = SparseIndex.Open(dir.File("from-file"));
        Assert.Equal(fixture.Index.DocumentCount, fromFile.DocumentCount);
        Assert.Equal(fixture.Index.PostingCount, fromFile.PostingCount);
        for (var t = 0; t < fromFile.TermCount; t++)
        {
            Assert.Equal(fixture.Index.Term(t), fromFile.Term(t));
            Assert.Equal(fixture.Index.ReadPostings(t).Impacts, fromFile.ReadPostings(t).Impacts);
        }
    }
}
