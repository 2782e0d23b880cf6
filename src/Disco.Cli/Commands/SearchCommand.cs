using System.CommandLine;
using System.Diagnostics;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Index;

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
        var k = new Option<int>("--k") { Description = "Documents per query", DefaultValueFactory = _ => 1000 };
        var format = new Option<string?>("--format") { Description = "trec (qid Q0 docid rank score tag) or json ({qid: {docid: score}}); default from the --out extension (.json → json)" };
        format.AcceptOnlyFromAmong("trec", "json");
        var threads = new Option<int>("--threads") { Description = "Search threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var algorithm = new Option<string>("--algorithm") { Description = "taat (exhaustive term-at-a-time over cache-sized ranges), maxscore (range MaxScore) or daat (document-at-a-time block-max MaxScore); all exact, identical results", DefaultValueFactory = _ => "taat" };
        algorithm.AcceptOnlyFromAmong("taat", "maxscore", "daat");
        var maxTerms = new Option<int?>("--query-max-terms") { Description = "Keep the N largest query weights" };
        var minWeight = new Option<float>("--query-min-weight") { Description = "Drop query weights below this" };
        var tag = new Option<string>("--tag") { Description = "Run tag (TREC column 6)", DefaultValueFactory = _ => "disco" };
        var verify = new Option<bool>("--verify") { Description = "Check every byte of every index file before searching (by default each part is checked when a search first reads it)" };
        var command = new Command("search", "Retrieve the top k documents for each query (exact sparse dot product)")
        {
            index, queries, output, k, format, threads, algorithm, maxTerms, minWeight, tag, verify,
        };
        encoding.AddTo(command);
        command.SetAction(parse =>
        {
            var kValue = parse.GetValue(k);
            if (kValue < 1)
                throw new UsageException("--k must be at least 1");
            var outPath = parse.GetValue(output)!;
            var fmt = parse.GetValue(format) ?? (outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "trec");
            using var opened = SparseIndex.Open(parse.GetValue(index)!, parse.GetValue(verify));
            var options = new QueryOptions(parse.GetValue(maxTerms), parse.GetValue(minWeight));
            var vectors = encoding.Read(parse, parse.GetValue(queries)!, parse.GetValue(threads), out var encodeTime);
            var prepared = vectors.Select(v => SearchQuery.Create(opened, v, options)).ToList();
            var searcher = new IndexSearcher(opened);
            var clock = Stopwatch.StartNew();
            IndexHit[][] results;
            using (var progress = new ConsoleProgress("searching", prepared.Count))
                results = searcher.SearchBatch(prepared, kValue, IndexFormatNames.ParseAlgorithm(parse.GetValue(algorithm)!), parse.GetValue(threads), progress);
            var elapsed = clock.Elapsed;
            var run = prepared.Select((q, i) => new KeyValuePair<string, IReadOnlyList<ScoredDocument>>(
                q.Id, [.. results[i].Select(h => new ScoredDocument(opened.DocumentId(h.Doc), h.Score))]));
            if (fmt == "json")
                RunWriter.WriteJson(outPath, run);
            else
                RunWriter.WriteTrec(outPath, run, parse.GetValue(tag)!);
            if (encodeTime > TimeSpan.Zero)
                Console.Error.WriteLine($"encoded {prepared.Count} queries in {encodeTime.TotalSeconds:F2}s ({encodeTime.TotalMilliseconds / Math.Max(1, prepared.Count):F2} ms/query)");
            Console.Error.WriteLine($"searched {prepared.Count} queries in {elapsed.TotalSeconds:F2}s ({elapsed.TotalMilliseconds / Math.Max(1, prepared.Count):F2} ms/query wall, {parse.GetValue(threads)} threads); wrote {outPath}");
            return 0;
        });
        return command;
    }
}
