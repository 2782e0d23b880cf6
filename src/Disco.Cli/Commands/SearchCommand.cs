using System.CommandLine;
using System.Diagnostics;
using Disco.Cli.Options;
using Disco.Core.Queries;
using Disco.Index;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>`disco search`: exact top-k retrieval over an index, written as a TREC or SPLADE JSON run.</summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index directory", Required = true };
        var queries = new Option<string>("--queries") { Description = "Queries: vectors JSONL (from 'disco encode'), or with --model TSV id<TAB>text (already flattened) or conversations JSONL", Required = true };
        var encoding = new QueryEncoding();
        var output = new RunOutputOptionGroup("Run file to write");
        var k = TopKOption.Create("Documents per query", "--k");
        var searching = new SearchOptionGroup();
        var verify = new Option<bool>("--verify") { Description = "Check every byte of every index file before searching (by default each part is checked when a search first reads it)" };
        var command = new Command("search", "Retrieve the top k documents for each query (exact sparse dot product)")
        {
            index, queries, verify,
        };
        output.AddTo(command);
        k.AddTo(command);
        searching.AddTo(command);
        encoding.AddTo(command);
        command.SetAction(parse =>
        {
            var topK = TopKOption.Get(parse, k);
            var threads = ThreadsOption.Count(parse, encoding.Threads);
            var searchOptions = searching.Create(parse, topK);
            var queryPath = parse.GetValue(queries)!;
            var clock = Stopwatch.StartNew();
            using var opened = SparseIndex.Open(parse.GetValue(index)!, parse.GetValue(verify));
            var openTime = clock.Elapsed;
            clock.Restart();
            // Vector tokens go straight to this index's term ids as the file is parsed.
            var read = QueryFile.Read(queryPath, opened.Terms);
            var readTime = clock.Elapsed;
            // An empty query file is an error, and the run written before stays (issue 15).
            if (read.Count == 0)
                throw new Core.DiscoException($"{queryPath}: holds no queries; the run is not written");
            // libtorch is loaded (its threads set) only when a query needs the encoder.
            if (read.Any(q => q.NeedsEncoding))
                ThreadsOption.Apply(parse, encoding.Threads);
            using var encoder = encoding.LoadEncoder(parse, queryPath, read);
            var retriever = new ConversationalRetriever(encoder, opened, new RetrieverOptions(encoding.Flattening.Build(parse), searchOptions));
            BatchSearchResult result;
            using (var progress = new ProgressStages())
            {
                result = retriever.SearchMany(read, batch: new BatchSearchOptions(threads)
                {
                    EncodeProgress = progress.Stage("encoding queries", read.Count),
                    SearchProgress = progress.Stage("searching", read.Count),
                });
            }
            clock.Restart();
            var written = output.Write(parse, result.ToRun());
            var writeTime = clock.Elapsed;
            var n = result.Results.Count;
            Console.Error.WriteLine($"opened the index in {openTime.TotalSeconds:F3}s; read {read.Count} queries in {readTime.TotalSeconds:F3}s");
            if (result.EncodeTime > TimeSpan.Zero)
                Console.Error.WriteLine($"encoded {n} queries in {result.EncodeTime.TotalSeconds:F2}s ({result.EncodeTime.TotalMilliseconds / Math.Max(1, n):F2} ms/query)");
            Console.Error.WriteLine($"searched {n} queries in {result.SearchTime.TotalSeconds:F2}s ({result.SearchTime.TotalMilliseconds / Math.Max(1, n):F2} ms/query wall, {threads} threads); wrote {written} in {writeTime.TotalSeconds:F3}s");
            return 0;
        });
        return command;
    }
}
