using System.Net;
using System.Text.Json;
using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Retrieval;
using Disco.TestSupport;
using Disco.Text;

namespace Disco.Server.Tests;

public sealed class SearchEndpointTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private RunningServer Server => shared.Server;

    private static string ConversationJson(Conversation conversation, int k = 10, bool explain = false, string? flatten = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["conversation"] = conversation.Turns.Select((t, i) => i == conversation.Turns.Count - 1
            ? new Dictionary<string, string> { ["question"] = t.Question }
            : new Dictionary<string, string> { ["question"] = t.Question, ["answer"] = t.Answer ?? "" }).ToList(),
        ["k"] = k,
        ["explain"] = explain,
        ["flatten"] = flatten,
    });

    private static List<(string Doc, double Score)> Hits(JsonElement body) =>
        [.. body.GetProperty("hits").EnumerateArray().Select(h => (h.GetProperty("id").GetString()!, h.GetProperty("score").GetDouble()))];

    [Fact]
    public async Task Conversations_get_the_golden_rankings_and_their_flattened_text()
    {
        foreach (var conversation in GoldenFixture.Conversations.Where(c => GoldenFixture.Rankings.ContainsKey(c.Id)))
        {
            var (status, body) = await Server.PostAsync("/v1/search", ConversationJson(conversation));
            Assert.Equal(HttpStatusCode.OK, status);
            GoldenFixture.AssertGolden(conversation.Id, Hits(body));
            Assert.Equal(GoldenFixture.Flattened[conversation.Id], body.GetProperty("query").GetProperty("flattened").GetString());
            Assert.True(body.GetProperty("took_ms").GetDouble() > 0);
        }
    }

    [Fact]
    public async Task A_text_and_a_vector_rank_as_the_conversation_they_come_from()
    {
        var conversation = GoldenFixture.Conversations[1];
        var (_, byConversation) = await Server.PostAsync("/v1/search", ConversationJson(conversation));
        var flattened = byConversation.GetProperty("query").GetProperty("flattened").GetString()!;
        var (_, byText) = await Server.PostAsync("/v1/search", JsonSerializer.Serialize(new { text = flattened }));
        Assert.Equal(Hits(byConversation), Hits(byText));
        var vector = byConversation.GetProperty("query").GetProperty("terms").EnumerateArray()
            .ToDictionary(t => t.GetProperty("term").GetString()!, t => t.GetProperty("weight").GetSingle());
        var (status, byVector) = await Server.PostAsync("/v1/search", JsonSerializer.Serialize(new { vector }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Hits(byConversation), Hits(byVector));
        Assert.Equal(JsonValueKind.Null, byVector.GetProperty("query").GetProperty("flattened").ValueKind);
    }

    [Fact]
    public async Task The_flatten_option_changes_the_text_encoded()
    {
        var conversation = new Conversation("c", [new Turn("what is a bee", "an insect"), new Turn("how do they make honey")]);
        var expected = new Dictionary<string, string>
        {
            ["full"] = "how do they make honey [SEP] an insect [SEP] what is a bee",
            ["last_question"] = "how do they make honey",
            ["questions_only"] = "how do they make honey [SEP] what is a bee",
            // The short spellings are aliases (docs/server.md).
            ["last"] = "how do they make honey",
            ["questions"] = "how do they make honey [SEP] what is a bee",
        };
        foreach (var (mode, text) in expected)
        {
            var (_, body) = await Server.PostAsync("/v1/search", ConversationJson(conversation, flatten: mode));
            Assert.Equal(text, body.GetProperty("query").GetProperty("flattened").GetString());
            // The same ranking as the library gives for that flattening.
            var retriever = new ConversationalRetriever(shared.Collection.Encoder, Server.Service.Retriever.Index, new RetrieverOptions(new FlatteningOptions(FlatteningModeNames.Parse(mode)!.Value)));
            var library = retriever.Search(conversation, topK: 10);
            Assert.Equal(library.Documents.Select(d => (d.DocumentId, d.Score)), Hits(body).Select(h => (h.Doc, (float)h.Score)));
        }
    }

    [Fact]
    public async Task Explained_hits_carry_their_text_terms_adding_up_to_the_score_and_highlights_on_words_holding_them()
    {
        var conversation = GoldenFixture.Conversations[0];
        var (status, body) = await Server.PostAsync("/v1/search", ConversationJson(conversation, k: 5, explain: true));
        Assert.Equal(HttpStatusCode.OK, status);
        var texts = GoldenFixture.Documents.ToDictionary(d => d.Id, d => d.Text);
        var tokenizer = WordPieceTokenizer.FromDirectory(Fixtures.TinySplade);
        var highlighted = 0;
        foreach (var hit in body.GetProperty("hits").EnumerateArray())
        {
            var text = hit.GetProperty("text").GetString()!;
            Assert.Equal(texts[hit.GetProperty("id").GetString()!], text);
            var terms = hit.GetProperty("terms").EnumerateArray().ToList();
            Assert.Equal(hit.GetProperty("score").GetDouble(), terms.Sum(t => t.GetProperty("contribution").GetDouble()), 3);
            Assert.All(terms, t => Assert.Equal(t.GetProperty("query_weight").GetDouble() * t.GetProperty("doc_weight").GetDouble(), t.GetProperty("contribution").GetDouble(), 5));
            var matched = terms.Select(t => t.GetProperty("term").GetString()!).ToHashSet();
            var pieces = tokenizer.Tokenize(text).ToHashSet();
            var found = new HashSet<string>();
            foreach (var span in hit.GetProperty("highlights").EnumerateArray())
            {
                var word = text.Substring(span.GetProperty("start").GetInt32(), span.GetProperty("length").GetInt32());
                var spanTerms = span.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToList();
                // The word's own wordpieces hold each term named, and each is a matched term.
                Assert.All(spanTerms, t => Assert.Contains(t, tokenizer.Tokenize(word)));
                Assert.All(spanTerms, t => Assert.Contains(t, matched));
                found.UnionWith(spanTerms);
                highlighted++;
            }
            // Every matched term that occurs in the text's wordpieces is highlighted somewhere.
            Assert.Equal(matched.Where(pieces.Contains).Order(), found.Order());
        }
        Assert.True(highlighted > 0);
    }

    [Fact]
    public async Task Query_terms_not_in_the_conversation_are_marked_as_expansion()
    {
        var conversation = new Conversation("c", [new Turn("what is the capital of france", "paris"), new Turn("how tall is its tower")]);
        var (_, body) = await Server.PostAsync("/v1/search", ConversationJson(conversation));
        var query = body.GetProperty("query");
        var tokenizer = WordPieceTokenizer.FromDirectory(Fixtures.TinySplade);
        var own = tokenizer.Tokenize(query.GetProperty("flattened").GetString()!).Append("[CLS]").Append("[SEP]").ToHashSet();
        var terms = query.GetProperty("terms").EnumerateArray().ToList();
        Assert.Contains(terms, t => t.GetProperty("expansion").GetBoolean());
        Assert.All(terms, t => Assert.Equal(!own.Contains(t.GetProperty("term").GetString()!), t.GetProperty("expansion").GetBoolean()));
        var weights = terms.Select(t => t.GetProperty("weight").GetDouble()).ToList();
        Assert.Equal(weights.OrderDescending(), weights);
        // The same vector as the library's encoder gives.
        var library = new ConversationalRetriever(shared.Collection.Encoder, Server.Service.Retriever.Index).Encode(Query.FromConversation(conversation));
        Assert.Equal(library.Terms.Select(t => (t.Token, t.Weight)), terms.Select(t => (t.GetProperty("term").GetString()!, t.GetProperty("weight").GetSingle())));
    }

    [Fact]
    public async Task Encode_returns_the_encoders_vector_for_queries_and_documents()
    {
        var document = GoldenFixture.Documents[3];
        foreach (var kind in new[] { "document", "query" })
        {
            var (status, body) = await Server.PostAsync("/v1/encode", JsonSerializer.Serialize(new { text = document.Text, kind }));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(kind, body.GetProperty("kind").GetString());
            var expected = shared.Collection.Encoder.Encode([document.Text])[0];
            var terms = body.GetProperty("terms").EnumerateArray().ToDictionary(t => t.GetProperty("term").GetString()!, t => t.GetProperty("weight").GetSingle());
            Assert.Equal(expected.Count, terms.Count);
            for (var i = 0; i < expected.Count; i++)
                Assert.Equal(expected.Values[i], terms[shared.Collection.Encoder.Vocabulary[expected.Indices[i]]], 4);
        }
        var (_, conversation) = await Server.PostAsync("/v1/encode", """{"conversation": [{"question": "who built it", "answer": "gustave eiffel"}, {"question": "when"}], "flatten": "last"}""");
        Assert.Equal("when", conversation.GetProperty("flattened").GetString());
    }

    [Fact]
    public async Task Index_health_metrics_openapi_and_page_answer()
    {
        var (status, index) = await Server.GetAsync("/v1/index");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(GoldenFixture.Documents.Count, index.GetProperty("documents").GetInt32());
        Assert.Equal(Server.Service.Retriever.Index.PostingCount, index.GetProperty("postings").GetInt64());
        Assert.Equal(GoldenFixture.Documents.Count, index.GetProperty("collection_records").GetInt32());
        Assert.Equal("float32", index.GetProperty("impacts").GetString());

        var (healthStatus, health) = await Server.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthStatus);
        Assert.Equal("ok", health.GetProperty("status").GetString());

        await Server.PostAsync("/v1/search", """{"text": "paris"}""");
        await Server.PostAsync("/v1/search", """{"text": "paris", "k": 0}""");
        var metrics = await Server.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var lines = metrics.Split('\n');
        Assert.True(Value(lines, "disco_http_requests_total{endpoint=\"search\",status=\"200\"}") >= 1);
        Assert.True(Value(lines, "disco_http_requests_total{endpoint=\"search\",status=\"400\"}") >= 1);
        Assert.True(Value(lines, "disco_http_request_errors_total") >= 1);
        Assert.True(Value(lines, "disco_queries_encoded_total") >= 1);
        Assert.Equal(Value(lines, "disco_http_request_duration_seconds_count{endpoint=\"search\"}"), Value(lines, "disco_http_request_duration_seconds_bucket{endpoint=\"search\",le=\"+Inf\"}"));
        Assert.Contains("# TYPE disco_http_request_duration_seconds histogram", lines);

        var openApi = JsonDocument.Parse(await Server.Client.GetStringAsync("/openapi.json", TestContext.Current.CancellationToken)).RootElement;
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/v1/search", "/v1/encode", "/v1/index", "/v1/admin/reload", "/healthz", "/metrics" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        Assert.Equal(DiscoSearchEndpoints.ApiVersion, openApi.GetProperty("info").GetProperty("version").GetString());

        using var page = await Server.Client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<script>", html);
        // Works offline: no external scripts, styles, fonts or images.
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.Contains("connect-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    private static double Value(string[] lines, string series) =>
        double.Parse(lines.Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
