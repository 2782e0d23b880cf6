using System.CommandLine;
using Disco.Core.Queries;
using Disco.Core.Runs;
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
        var encoding = new QueryEncodingOptions();
        var output = new Option<string>("--out") { Description = "Run file to write", Required = true };
        var k = new Option<int>("--k") { Description = "Documents per query", DefaultValueFactory = _ => SearchOptions.DefaultTopK };
        var format = new Option<string?>("--format") { Description = "trec (qid Q0 docid rank score tag) or json ({qid: {docid: score}}); default from the --out extension (.json → json)" };
        format.AcceptOnlyFromAmong([.. RunFormats.Names]);
        var threads = new Option<int>("--threads") { Description = "Search threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var searching = new SearchOptionGroup();
        var tag = new Option<string>("--tag") { Description = "Run tag (TREC column 6)", DefaultValueFactory = _ => "disco" };
        var verify = new Option<bool>("--verify") { Description = "Check every byte of every index file before searching (by default each part is checked when a search first reads it)" };
        var command = new Command("search", "Retrieve the top k documents for each query (exact sparse dot product)")
        {
            index, queries, output, k, format, threads, tag, verify,
        };
        searching.AddTo(command);
        encoding.AddTo(command);
        command.SetAction(parse =>
        {
            var kValue = parse.GetValue(k);
            if (kValue < 1)
                throw new UsageException("--k must be at least 1");
            var outPath = parse.GetValue(output)!;
            var runFormat = RunFormats.ForPath(outPath, parse.GetValue(format) is { } f ? RunFormats.Parse(f) : null);
            var threadCount = parse.GetValue(threads);
            using var opened = SparseIndex.Open(parse.GetValue(index)!, parse.GetValue(verify));
            var queryPath = parse.GetValue(queries)!;
            var read = QueryFile.Read(queryPath);
            using var encoder = encoding.LoadEncoder(parse, queryPath, read, threadCount);
            var retriever = new ConversationalRetriever(encoder, opened, new RetrieverOptions(encoding.Flattening(parse), searching.Create(parse, kValue)));
            BatchSearchResult result;
            using (var progress = new ProgressStages())
            {
                result = retriever.SearchMany(read, batch: new BatchSearchOptions(threadCount)
                {
                    EncodeProgress = progress.Stage("encoding queries", read.Count),
                    SearchProgress = progress.Stage("searching", read.Count),
                });
            }
            result.ToRun().Write(outPath, runFormat, parse.GetValue(tag)!);
            var n = result.Results.Count;
            if (result.EncodeTime > TimeSpan.Zero)
                Console.Error.WriteLine($"encoded {n} queries in {result.EncodeTime.TotalSeconds:F2}s ({result.EncodeTime.TotalMilliseconds / Math.Max(1, n):F2} ms/query)");
            Console.Error.WriteLine($"searched {n} queries in {result.SearchTime.TotalSeconds:F2}s ({result.SearchTime.TotalMilliseconds / Math.Max(1, n):F2} ms/query wall, {threadCount} threads); wrote {outPath}");
            return 0;
        });
        return command;
    }
}
