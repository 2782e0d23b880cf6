using System.Net.Http.Json;
using System.Text.Json;
using Disco.Cli.Commands;
using Disco.Core.Conversations;
using Disco.Core.Runs;
using Disco.Index;
using Disco.Retrieval;
using Disco.Server;
using Disco.TestSupport;
using Microsoft.Extensions.Logging;

namespace Disco.Cli.Tests;

/// <summary>`disco serve` against `disco search`: one pipeline, so the same options give the same rankings.</summary>
[Collection(SerialTorchTests.Name)]
public sealed class ServeCommandTests
{
    [Fact]
    public async Task The_server_ranks_each_conversation_exactly_as_disco_search_does()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("collection.tsv"), GoldenFixture.Documents.Select(d => $"{d.Id}\t{d.Text}"));
        Assert.Equal(0, CommandRunner.Run(IndexCommand.Create(), "index", "--model", Fixtures.TinySplade, "--collection", dir.File("collection.tsv"), "--out", dir.File("index")));
        var conversations = Fixtures.Golden("golden_conversations.jsonl");
        // One query per encoder call, as the server encodes requests sent one after another: the same vectors, bit for bit.
        foreach (var (algorithm, parsed) in new[] { ("taat", SearchAlgorithm.TermAtATime), ("daat", SearchAlgorithm.DocumentAtATime) })
        {
            Assert.Equal(0, CommandRunner.Run(SearchCommand.Create(), "search", "--index", dir.File("index"), "--queries", conversations, "--model", Fixtures.TinySplade,
                "--k", "10", "--batch-size", "1", "--algorithm", algorithm, "--history", "questions", "--out", dir.File("run.trec")));
            var run = Run.Read(dir.File("run.trec"));
            var app = DiscoServer.Build(new DiscoServerOptions { Port = 0, MinimumLogLevel = LogLevel.Warning }, o =>
            {
                o.IndexDirectory = dir.File("index");
                o.QueryModel = Fixtures.TinySplade;
                o.Retriever = new RetrieverOptions(new FlatteningOptions(FlatteningMode.QuestionsOnly), new SearchOptions(Algorithm: parsed));
            });
            await app.StartAsync(TestContext.Current.CancellationToken);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(DiscoServer.Addresses(app).Single()) };
                foreach (var conversation in GoldenFixture.Conversations)
                {
                    var body = new { conversation = conversation.Turns.Select((t, i) => i == conversation.Turns.Count - 1 ? new { question = t.Question, answer = (string?)null } : new { question = t.Question, answer = t.Answer }), k = 10 };
                    using var response = await http.PostAsJsonAsync("/v1/search", body, TestContext.Current.CancellationToken);
                    var answer = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
                    var hits = answer.GetProperty("hits").EnumerateArray().Select(h => (h.GetProperty("id").GetString()!, h.GetProperty("score").GetSingle())).ToList();
                    Assert.Equal(run[conversation.Id].Documents.Select(d => (d.DocId, (float)d.Score)), hits);
                }
            }
            finally
            {
                await app.StopAsync(TestContext.Current.CancellationToken);
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Bad_serve_options_fail_with_one_line_before_listening()
    {
        using var dir = new TempDirectory();
        Assert.Equal(1, CommandRunner.Run(ServeCommand.Create(), "serve", "--index", dir.File("missing"), "--host", "example.com", "--port", "0"));
        Assert.Equal(1, CommandRunner.Run(ServeCommand.Create(), "serve", "--index", dir.File("missing"), "--port", "0"));
        Assert.Equal(2, CommandRunner.Run(ServeCommand.Create(), "serve", "--port", "0"));
    }
}
