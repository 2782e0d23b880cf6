using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Disco.Cli.Options;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Index;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>`disco index`: build an on-disk index; `disco index stats`: SPLADE's index statistics and FLOPS.</summary>
public static class IndexCommand
{
    public static Command Create()
    {
        var vectors = new Option<string[]>("--vectors") { Description = "Document vectors: files or folders of Disco vectors JSONL (from 'disco encode') or Anserini JsonVectorCollection (.jsonl/.json, optionally .gz); folders in natural name order", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "Index directory to create (replaced only once the new index is complete)" };
        var impacts = new Option<string>("--impacts")
        {
            Description = "Impact storage: float32 (exact, as SPLADE), uint16 or uint8 (quantized, scale recorded)",
            DefaultValueFactory = _ => "float32",
        };
        impacts.AcceptOnlyFromAmong("float32", "uint16", "uint8");
        var segment = new Option<long>("--segment-postings")
        {
            Description = "Postings buffered in memory before a segment is flushed (about 20 bytes each)",
            DefaultValueFactory = _ => IndexBuildOptions.DefaultSegmentPostings,
        };
        var encoder = new EncoderOptionGroup("Document encoder (directory or HuggingFace id): encode --collection as it is indexed");
        var collection = new Option<string?>("--collection") { Description = "Collection to encode with --model: TSV id<TAB>text or JSONL {id, text|contents}" };
        var threads = ThreadsOption.Create();
        var command = new Command("index", "Build an inverted index from document vectors, or from a collection encoded as it goes")
        {
            vectors, collection, output, impacts, segment, threads,
        };
        encoder.AddTo(command);
        command.Subcommands.Add(CreateStats());
        command.Subcommands.Add(IndexInteropCommands.Import());
        command.Subcommands.Add(IndexInteropCommands.Export());
        command.Subcommands.Add(IndexInteropCommands.Merge());
        command.SetAction(parse =>
        {
            var outDir = parse.GetValue(output) ?? throw new UsageException("--out DIR is required");
            var options = new IndexBuildOptions(IndexFormatNames.Parse(parse.GetValue(impacts)!), parse.GetValue(segment));
            if (options.SegmentPostings < 1024)
                throw new UsageException("--segment-postings must be at least 1024");
            var clock = Stopwatch.StartNew();
            IndexMetadata meta;
            if (parse.GetValue(vectors) is { Length: > 0 } vectorsPath)
            {
                using var progress = new ConsoleProgress("indexing");
                meta = IndexBuilder.FromVectors(vectorsPath, outDir, options, progress);
            }
            else if (parse.GetValue(encoder.Model!) is string modelDir)
            {
                var collectionPath = Core.IO.DataPaths.Resolve(parse.GetValue(collection) ?? throw new UsageException("--model needs --collection FILE"));
                if (!File.Exists(collectionPath))
                    throw new Core.DiscoException($"{collectionPath}: file not found");
                ThreadsOption.Apply(parse, threads);
                var loader = encoder.Loader(parse);
                var resolved = loader.Locate(modelDir, EncoderRole.Document);
                using var documentEncoder = loader.LoadDirectory(resolved, encoder.Build(parse));
                var total = File.ReadLines(collectionPath).LongCount(l => !string.IsNullOrWhiteSpace(l));
                using var progress = new ConsoleProgress("encoding and indexing", total);
                meta = IndexBuilder.FromCollection(collectionPath, documentEncoder, outDir, options, progress, new Dictionary<string, string>
                {
                    ["model"] = resolved,
                    ["aggregation"] = parse.GetValue(encoder.Aggregation)!,
                    ["maxLength"] = parse.GetValue(encoder.MaxLength).ToString(CultureInfo.InvariantCulture),
                });
            }
            else
            {
                throw new UsageException("give --vectors FILE, or --model DIR with --collection FILE");
            }
            if (parse.GetValue(vectors) is { Length: > 0 } && parse.GetValue(encoder.Model!) is not null)
                Console.Error.WriteLine("note: --vectors given, --model ignored");
            Console.Error.WriteLine($"indexed {meta.Documents} documents, {meta.Terms} terms, {meta.Postings} postings ({meta.Impacts}) into {outDir} in {clock.Elapsed.TotalSeconds:F1}s");
            return 0;
        });
        return command;
    }

    private static Command CreateStats()
    {
        var directory = new Argument<string>("DIR") { Description = "Index directory" };
        var queries = new Option<string?>("--queries") { Description = "Queries for the FLOPS estimate: vectors JSONL, or with --model TSV id<TAB>text or conversations JSONL" };
        var encoding = new QueryEncoding();
        var output = new Option<string?>("--out") { Description = "Where to write index_stats.json, index_dist.json, index_dist.svg, flops.json (default DIR/stats)" };
        var maxTerms = new Option<int?>("--query-max-terms") { Description = "Keep the N largest query weights" };
        var minWeight = new Option<float>("--query-min-weight") { Description = "Drop query weights below this" };
        var verify = new Option<bool>("--verify") { Description = "Check every byte of every index file (by default the files the statistics read are checked as they are read)" };
        var command = new Command("stats", "Index statistics (SPLADE's L0_d, index_dist.json and its plot) and the FLOPS estimate for a query set")
        {
            directory, queries, output, maxTerms, minWeight, verify,
        };
        encoding.AddTo(command);
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(directory)!;
            using var index = SparseIndex.Open(dir, parse.GetValue(verify));
            var stats = IndexStatistics.Compute(index);
            var outDir = parse.GetValue(output) ?? Path.Combine(dir, "stats");
            Directory.CreateDirectory(outDir);
            var json = new JsonSerializerOptions { WriteIndented = true };
            AtomicFile.WriteAllText(Path.Combine(outDir, "index_stats.json"), JsonSerializer.Serialize(new Dictionary<string, double> { ["L0_d"] = stats.MeanDocumentLength }, json) + "\n");
            AtomicFile.WriteAllText(Path.Combine(outDir, "index_dist.json"), JsonSerializer.Serialize(stats.PostingLengths, json) + "\n");
            AtomicFile.WriteAllText(Path.Combine(outDir, "index_dist.svg"), stats.PostingLengthPlot());
            var lengths = stats.PostingLengths.Values.Order().ToArray();
            Console.WriteLine($"documents\t{stats.Documents}");
            Console.WriteLine($"terms\t{stats.Terms}");
            Console.WriteLine($"postings\t{stats.Postings}");
            Console.WriteLine($"L0_d\t{stats.MeanDocumentLength.ToString("F3", CultureInfo.InvariantCulture)}");
            if (lengths.Length > 0)
                Console.WriteLine($"posting length min/median/p99/max\t{lengths[0]}/{lengths[lengths.Length / 2]}/{lengths[(int)Math.Min(lengths.Length - 1, Math.Ceiling(lengths.Length * 0.99) - 1)]}/{lengths[^1]}");
            if (parse.GetValue(queries) is string queryPath)
            {
                var read = QueryFile.Read(queryPath);
                ThreadsOption.Apply(parse, encoding.Threads);
                using var encoder = encoding.LoadEncoder(parse, queryPath, read);
                var retriever = new ConversationalRetriever(encoder, index, new RetrieverOptions(encoding.Flattening.Build(parse)));
                IReadOnlyList<SearchQuery> prepared;
                using (var progress = new ConsoleProgress("encoding queries", read.Count))
                    prepared = retriever.PrepareMany(read, new SearchOptions(Pruning: new QueryOptions(parse.GetValue(maxTerms), parse.GetValue(minWeight))), progress);
                var flops = IndexStatistics.Flops(index, prepared);
                AtomicFile.WriteAllText(Path.Combine(outDir, "flops.json"), JsonSerializer.Serialize(new Dictionary<string, double> { ["flops"] = flops }, json) + "\n");
                Console.WriteLine($"FLOPS\t{flops.ToString("G6", CultureInfo.InvariantCulture)}");
            }
            Console.Error.WriteLine($"wrote statistics to {outDir}");
            return 0;
        });
        return command;
    }
}
