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
        encoder.Threads = threads;
        var pruneDocTerms = new Option<int?>("--prune-doc-terms") { Description = "Static pruning: keep each document's N heaviest terms" };
        var pruneListSize = new Option<int?>("--prune-list-size") { Description = "Static pruning: keep each term's M largest postings" };
        var pruneMinWeight = new Option<float?>("--prune-min-weight") { Description = "Static pruning: drop document weights below W" };
        var reorder = new Option<bool>("--reorder") { Description = "Number similar documents next to each other (recursive bisection), so block-max pruning skips more on topical collections; slower build" };
        var ann = new Option<bool>("--ann") { Description = "Also build the approximate-search section (disco search --approximate)" };
        var annListSize = AnnListSize();
        var blockMax = new Option<bool>("--block-max") { Description = "Also build the block-max section (disco search --algorithm blockmax, --approximate --ann-blocks N); best with --reorder" };
        var blockBits = BlockBits();
        var blockLimit = BlockMaxLimit();
        var command = new Command("index", "Build an inverted index from document vectors, or from a collection encoded as it goes")
        {
            vectors, collection, output, impacts, segment, threads, pruneDocTerms, pruneListSize, pruneMinWeight, reorder, ann, annListSize, blockMax, blockBits, blockLimit,
        };
        encoder.AddTo(command);
        command.Subcommands.Add(CreateStats());
        command.Subcommands.Add(CreateAnn());
        command.Subcommands.Add(CreateBlockMax());
        command.Subcommands.Add(IndexInteropCommands.Import());
        command.Subcommands.Add(IndexInteropCommands.Export());
        command.Subcommands.Add(IndexInteropCommands.Merge());
        command.SetAction(parse =>
        {
            var outDir = parse.GetValue(output) ?? throw new UsageException("--out DIR is required");
            if (parse.GetValue(pruneDocTerms) is < 1 || parse.GetValue(pruneListSize) is < 1)
                throw new UsageException("--prune-doc-terms and --prune-list-size must be at least 1");
            if (parse.GetValue(pruneMinWeight) is float w && !(w >= 0 && float.IsFinite(w)))
                throw new UsageException("--prune-min-weight must be a finite number >= 0");
            if (parse.GetValue(annListSize) is < 1)
                throw new UsageException("--ann-list-size must be at least 1");
            var blockMaxOptions = BlockMaxOptions(parse, blockBits, blockLimit, parse.GetValue(blockMax));
            var pruning = new StaticPruning(parse.GetValue(pruneDocTerms), parse.GetValue(pruneListSize), parse.GetValue(pruneMinWeight));
            var options = new IndexBuildOptions(IndexFormatNames.Parse(parse.GetValue(impacts)!), parse.GetValue(segment))
            {
                Pruning = pruning.IsEmpty ? null : pruning,
                Order = parse.GetValue(reorder) ? DocumentOrder.Clustered : DocumentOrder.Input,
                Ann = parse.GetValue(ann) || parse.GetValue(annListSize) is not null ? new AnnBuildOptions(parse.GetValue(annListSize) ?? AnnBuildOptions.DefaultListSize) : null,
                BlockMax = blockMaxOptions,
            };
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
                var total = File.ReadLines(collectionPath).LongCount(l => !string.IsNullOrWhiteSpace(l));
                if (total == 0)
                    throw new Core.DiscoException($"{collectionPath}: holds no documents; nothing was indexed");
                ThreadsOption.Apply(parse, threads);
                var loader = encoder.Loader(parse);
                var resolved = loader.Locate(modelDir, EncoderRole.Document);
                using var documentEncoder = loader.LoadDirectory(resolved, encoder.Build(parse));
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
            WarnIfBlockMaxUnused(meta, outDir);
            return 0;
        });
        return command;
    }

    private static Option<int?> AnnListSize() =>
        new("--ann-list-size") { Description = $"Postings per term in the approximate-search head lists (default {AnnBuildOptions.DefaultListSize}; more: higher recall per budget, bigger section)" };

    private static Command CreateAnn()
    {
        var directory = new Argument<string>("DIR") { Description = "Index directory" };
        var listSize = AnnListSize();
        var command = new Command("ann", "Add (or rebuild) the approximate-search section of an existing index; searches running meanwhile see the old section or the new one")
        {
            directory, listSize,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(listSize) is < 1)
                throw new UsageException("--ann-list-size must be at least 1");
            var dir = parse.GetValue(directory)!;
            var clock = Stopwatch.StartNew();
            var meta = IndexBuilder.AddApproximateSearch(dir, new AnnBuildOptions(parse.GetValue(listSize) ?? AnnBuildOptions.DefaultListSize));
            var bytes = meta.Ann!.Files.Values.Sum(name => meta.Files[name].Bytes);
            Console.Error.WriteLine($"added the approximate-search section (generation {meta.Ann.Generation}, {meta.Ann.Heads} head postings, {bytes / 1e6:F0} MB) to {dir} in {clock.Elapsed.TotalSeconds:F1}s");
            return 0;
        });
        return command;
    }

    private static Option<int?> BlockBits() =>
        new("--block-max-bits") { Description = $"Blocks of 2^N consecutive documents in the block-max section (default {BlockMaxBuildOptions.DefaultBlockBits}: 64 documents; 0 to {BlockMaxBuildOptions.MaxBlockBits}); smaller: tighter bounds, more blocks to bound per query" };

    private static Option<string?> BlockMaxLimit() =>
        new("--block-max-limit") { Description = "Most disk the block-max section may take (bytes, or with K, M, G, T: powers of 1000); over it, the terms in fewest blocks lose their dense rows (smaller, slower search), and the build refuses with the smallest size possible when even that is over. Default: no limit but the disk's free space" };

    /// <summary>The block-max options of --block-max / --block-max-bits / --block-max-limit (null when none is given).</summary>
    private static BlockMaxBuildOptions? BlockMaxOptions(ParseResult parse, Option<int?> blockBits, Option<string?> blockLimit, bool requested)
    {
        var bits = parse.GetValue(blockBits);
        if (bits is < 0 or > BlockMaxBuildOptions.MaxBlockBits)
            throw new UsageException($"--block-max-bits must be 0 to {BlockMaxBuildOptions.MaxBlockBits}");
        var limit = parse.GetValue(blockLimit) is { } text ? ParseBytes(text, "--block-max-limit") : (long?)null;
        return requested || bits is not null || limit is not null
            ? new BlockMaxBuildOptions(bits ?? BlockMaxBuildOptions.DefaultBlockBits) { MaxBytes = limit }
            : null;
    }

    /// <summary>A size: a positive whole number of bytes, or a number with K, M, G or T (powers of 1000, as the build reports GB), an optional B after.</summary>
    internal static long ParseBytes(string text, string option)
    {
        var s = text.Trim().ToUpperInvariant();
        if (s.EndsWith('B'))
            s = s[..^1];
        var scale = s.Length > 0 ? s[^1] switch { 'K' => 1e3, 'M' => 1e6, 'G' => 1e9, 'T' => 1e12, _ => 1.0 } : 1.0;
        if (scale != 1.0)
            s = s[..^1];
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value * scale >= 1) || value * scale > long.MaxValue / 2)
            throw new UsageException($"{option} must be a size such as 20G or 500M, found \"{text}\"");
        return (long)(value * scale);
    }

    private static Command CreateBlockMax()
    {
        var directory = new Argument<string>("DIR") { Description = "Index directory" };
        var blockBits = BlockBits();
        var blockLimit = BlockMaxLimit();
        var command = new Command("blockmax", "Add (or rebuild) the block-max section of an existing index; searches running meanwhile see the old section or the new one")
        {
            directory, blockBits, blockLimit,
        };
        command.SetAction(parse =>
        {
            var options = BlockMaxOptions(parse, blockBits, blockLimit, requested: true)!;
            var dir = parse.GetValue(directory)!;
            var clock = Stopwatch.StartNew();
            var meta = IndexBuilder.AddBlockMax(dir, options);
            var section = meta.BlockMax!;
            var bytes = section.Files.Values.Sum(name => meta.Files[name].Bytes);
            Console.Error.WriteLine($"added the block-max section (generation {section.Generation}, {section.Blocks} blocks of {1 << section.BlockBits} documents, {section.Entries} entries, {bytes / 1e6:F0} MB) to {dir} in {clock.Elapsed.TotalSeconds:F1}s");
            WarnIfBlockMaxUnused(meta, dir);
            return 0;
        });
        return command;
    }

    /// <summary>A section whose blocks hold unrelated documents has loose bounds: the default algorithm does not use it (IndexSearcher.AutoUsesBlockMax).</summary>
    private static void WarnIfBlockMaxUnused(IndexMetadata meta, string dir)
    {
        if (meta.BlockMax is { } section && !IndexSearcher.AutoUsesBlockMax(section))
        {
            var order = meta.Order == DocumentOrder.Clustered ? "even reordered, its blocks" : "in input order, its blocks";
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: {dir}: {order} hold unrelated documents (clustering {section.Clustering:F2}, block-max pays at <= {IndexSearcher.BlockMaxClustering:F2}), so block-max bounds are loose and exact block-max search is slower than term-at-a-time; the default algorithm keeps term-at-a-time{(meta.Order == DocumentOrder.Clustered ? "" : "; --reorder may help on a topical collection")}"));
        }
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
            var meta = index.Metadata;
            Console.WriteLine($"document order\t{(meta.Order == DocumentOrder.Clustered ? "clustered" : "input")}");
            if (meta.Pruning is { } p)
            {
                Console.WriteLine($"pruning\tdoc terms {p.DocumentTerms?.ToString(CultureInfo.InvariantCulture) ?? "-"}, list size {p.ListSize?.ToString(CultureInfo.InvariantCulture) ?? "-"}, min weight {p.MinWeight?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
                var removed = p.RemovedByMinWeight + p.RemovedByDocumentTerms + p.RemovedByListSize;
                Console.WriteLine($"pruned postings\t{removed} of {p.InputPostings} ({(p.InputPostings == 0 ? 0 : 100.0 * removed / p.InputPostings).ToString("F2", CultureInfo.InvariantCulture)}%): {p.RemovedByMinWeight} by min weight, {p.RemovedByDocumentTerms} by doc terms, {p.RemovedByListSize} by list size");
            }
            if (meta.Ann is { } a)
                Console.WriteLine($"approximate search\tgeneration {a.Generation}, list size {a.ListSize}, {a.Heads} head postings, default budget {a.DefaultBudget}, default terms {a.DefaultTerms}");
            if (meta.BlockMax is { } bm)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"block-max\tgeneration {bm.Generation}, {bm.Blocks} blocks of {1 << bm.BlockBits} documents, {bm.Entries} entries, {bm.DenseRows} dense rows, clustering {bm.Clustering?.ToString("F2", CultureInfo.InvariantCulture) ?? "unknown"} (default algorithm {(IndexSearcher.AutoUsesBlockMax(bm) ? "blockmax" : "taat")} at k <= {IndexSearcher.BlockMaxDepth}), default blocks {bm.DefaultBlocks}"));
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
