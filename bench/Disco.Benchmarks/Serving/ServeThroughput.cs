using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Core.Texts;
using Disco.Core.Vectors;
using Disco.Index;
using Disco.Modeling;
using Disco.Retrieval;
using Disco.Server;
using Disco.Text;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Disco.Benchmarks.Serving;

/// <summary>
/// `serve-throughput`: requests/s and latency percentiles of <c>POST /v1/search</c> (conversations,
/// k 10) at several client counts, against the same queries run in-process through the library
/// (<see cref="ConversationalRetriever.EncodeAsync"/> then Search, the same micro-batching), so the
/// ratio is the server's overhead. Runs are interleaved (library, HTTP, library, HTTP, ...) because
/// the machine is shared. Clients run in this process (as a load generator beside the server would
/// share the machine). Models: the tiny fixture (HTTP and JSON dominate), or a BERT-base-shaped
/// model with random weights (encoding dominates).
/// </summary>
public static class ServeThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var model = Arg("--model", "tiny");
        var seconds = double.Parse(Arg("--seconds", "5"), CultureInfo.InvariantCulture);
        var repeats = int.Parse(Arg("--repeats", "2"), CultureInfo.InvariantCulture);
        var clients = Arg("--clients", "1,8,32").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
        var threads = int.Parse(Arg("--threads", "2"), CultureInfo.InvariantCulture);
        var work = Arg("--work", Path.Combine(Path.GetTempPath(), "disco-serve-bench"));
        var shared = Arg("--shared", "../shared");
        // The server's limit must not cut the measurement: at 32 clients on a BERT-base-shaped model
        // a request waits behind ~31 others' encodings (about 38 s on a loaded 2-core machine, where
        // the default 30 s limit answered 504). As long as the HTTP client's own timeout below.
        var requestTimeout = TimeSpan.FromSeconds(double.Parse(Arg("--request-timeout-s", "600"), CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);

        var (encoder, conversations) = model == "tiny" ? Tiny(shared, work, threads) : BertBase(work, threads);
        var options = new RetrieverOptions(Search: new SearchOptions(TopK: 10), MicroBatch: new MicroBatchOptions());
        var indexDirectory = Path.Combine(work, model + "-index");
        var app = DiscoServer.Build(new DiscoServerOptions { Port = 0, MinimumLogLevel = LogLevel.Warning }, o =>
        {
            o.IndexDirectory = indexDirectory;
            o.QueryEncoder = encoder;
            o.Retriever = options;
            o.RequestTimeout = requestTimeout;
        });
        await app.StartAsync();
        using var index = SparseIndex.Open(indexDirectory);
        var library = new ConversationalRetriever(encoder, index, options);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(DiscoServer.Addresses(app).Single()), Timeout = requestTimeout + TimeSpan.FromSeconds(30) };
        var bodies = conversations.Select(c => JsonSerializer.Serialize(new
        {
            conversation = c.Turns.Select((t, i) => i == c.Turns.Count - 1 ? new { question = t.Question, answer = (string?)null } : new { question = t.Question, answer = t.Answer }),
            k = 10,
        })).ToList();
        var queries = conversations.Select(Query.FromConversation).ToList();

        async Task Library(int i)
        {
            var encoded = await library.EncodeAsync(queries[i % queries.Count]).ConfigureAwait(false);
            library.Search(encoded);
        }

        async Task Http(int i)
        {
            using var content = new StringContent(bodies[i % bodies.Count], System.Text.Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("v1/search", UriKind.Relative), content).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        }

        // Warm-up: JIT, libtorch, Kestrel, the connection pool.
        await Measure(Library, 2, TimeSpan.FromSeconds(Math.Min(seconds, 2)));
        await Measure(Http, 2, TimeSpan.FromSeconds(Math.Min(seconds, 2)));
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var c in clients)
        {
            for (var r = 0; r < repeats; r++)
            {
                foreach (var (mode, run) in new (string, Func<int, Task>)[] { ("library", Library), ("http", Http) })
                {
                    var m = await Measure(run, c, TimeSpan.FromSeconds(seconds));
                    Console.WriteLine(JsonSerializer.Serialize(new { model, clients = c, repeat = r, mode, requests = m.Requests, requests_per_s = Math.Round(m.PerSecond, 1), p50_ms = Math.Round(m.P50, 2), p99_ms = Math.Round(m.P99, 2) }));
                }
            }
        }
        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        await app.StopAsync();
        await app.DisposeAsync();
        encoder.Dispose();
        return 0;
    }

    private sealed record Measurement(int Requests, double PerSecond, double P50, double P99);

    /// <summary><paramref name="clients"/> loops sending requests until the time is up; the answers of those in flight then still count.</summary>
    private static async Task<Measurement> Measure(Func<int, Task> request, int clients, TimeSpan duration)
    {
        var latencies = new List<double>[clients];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            latencies[c] = [];
            while (clock.Elapsed < duration)
            {
                var start = clock.Elapsed.TotalMilliseconds;
                await request(Interlocked.Increment(ref next)).ConfigureAwait(false);
                latencies[c].Add(clock.Elapsed.TotalMilliseconds - start);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Clamp((int)Math.Ceiling(p * all.Length) - 1, 0, all.Length - 1)];
        return new Measurement(all.Length, all.Length / elapsed, Percentile(0.5), Percentile(0.99));
    }

    /// <summary>tiny-splade, the golden documents as the index, the golden conversations as queries.</summary>
    private static (ISparseEncoder, IReadOnlyList<Conversation>) Tiny(string shared, string work, int threads)
    {
        var fixtures = Path.Combine(shared, "fixtures");
        // libtorch's thread count is a process setting, made explicitly (not by an encoder's constructor).
        TorchThreads.Set(threads);
        var encoder = SpladeEncoder.Load(Path.Combine(fixtures, "tiny-splade"));
        var documents = JsonLines.Read(Path.Combine(fixtures, "golden", "golden_documents.jsonl"), (e, _) => new TextRecord(e.GetProperty("id").GetString()!, e.GetProperty("text").GetString()!)).ToList();
        IndexBuilder.FromRecords(documents, encoder, Path.Combine(work, "tiny-index"));
        return (encoder, [.. ConversationFile.Read(Path.Combine(fixtures, "golden", "golden_conversations.jsonl"))]);
    }

    /// <summary>
    /// BERT-base shape (12 layers, 768 hidden, 30522 terms) with random weights and a synthetic
    /// vocabulary; conversations of three turns of random words (about 40 wordpieces flattened, the
    /// length of a TopiOCQA query); 20,000 random documents of 120 terms as the index.
    /// </summary>
    private static (ISparseEncoder, IReadOnlyList<Conversation>) BertBase(string work, int threads)
    {
        manual_seed(0);
        var tokenizer = WordPieceTokenizer.FromVocabulary(Enumerable.Range(0, 30522).Select(i => i switch
        {
            0 => "[PAD]",
            100 => "[UNK]",
            101 => "[CLS]",
            102 => "[SEP]",
            103 => "[MASK]",
            _ => $"t{i}",
        }));
        var model = new BertForMaskedLM(new BertConfig());
        TorchThreads.Set(threads);
        var encoder = new SpladeEncoder(model, tokenizer, new SpladeEncoderOptions());
        var random = new Random(0);
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => $"t{random.Next(1000, 30000)}"));
        var conversations = Enumerable.Range(0, 64).Select(i => new Conversation($"c{i}", [new Turn(Words(8), Words(12)), new Turn(Words(7), Words(10)), new Turn(Words(6))])).ToList();
        var documents = Enumerable.Range(0, 20_000).Select(d =>
        {
            var terms = Enumerable.Range(0, 120).Select(_ => random.Next(1000, 30000)).Distinct().ToArray();
            return new TermVector($"d{d}", [.. terms.Select(t => $"t{t}")], [.. terms.Select(_ => (float)random.NextDouble() * 2)]);
        });
        IndexBuilder.FromVectors(documents, Path.Combine(work, "base-index"));
        return (encoder, conversations);
    }
}
