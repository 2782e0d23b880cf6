using System.CommandLine;
using System.Globalization;
using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Core.Runs;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco rerank</c>: rescores each query's top documents of a first-stage run with a cross-encoder
/// (<c>BertForSequenceClassification</c>, one logit) and writes the reranked run (the library's
/// <see cref="Reranker"/>).
/// </summary>
public static class RerankCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Cross-encoder: HuggingFace folder or id of a BertForSequenceClassification with one label (e.g. cross-encoder/ms-marco-MiniLM-L-6-v2)", Required = true };
        var run = new Option<string>("--run") { Description = "First-stage run, TREC or SPLADE JSON", Required = true };
        var queries = new Option<string>("--queries") { Description = "Queries: TSV id<TAB>text or conversations JSONL (flattened as for the query encoder, or --rewrite)", Required = true };
        var collection = new Option<string>("--collection") { Description = "Passages: TSV id<TAB>text or JSONL (only the run's top documents are kept in memory)", Required = true };
        var depth = new Option<int>("--depth") { Description = "Documents reranked per query; the rest follow in first-stage order", DefaultValueFactory = _ => RerankerOptions.DefaultDepth };
        var output = new Option<string>("--out") { Description = "Reranked run (.json for SPLADE JSON, else TREC)", Required = true };
        var format = new Option<string?>("--format") { Description = "trec or json; default from the --out extension" };
        format.AcceptOnlyFromAmong([.. RunFormats.Names]);
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per query-passage pair including [CLS] and both [SEP]; the passage is cut first", DefaultValueFactory = _ => CrossEncoderOptions.DefaultMaxLength };
        var batchSize = new Option<int>("--batch-size") { Description = "Pairs per forward pass (pairs are sorted by length)", DefaultValueFactory = _ => CrossEncoderOptions.DefaultBatchSize };
        var history = new Option<string>("--history") { Description = "Conversation flattening: full (q_n [SEP] a_n-1 [SEP] q_n-1 ...), last (q_n only) or questions", DefaultValueFactory = _ => "full" };
        history.AcceptOnlyFromAmong("full", "last", "questions");
        var rewrite = new Option<bool>("--rewrite") { Description = "Use each conversation's rewrite (its \"rewrite\" field) as the query instead of flattening it" };
        var threads = ModelOptions.Threads();
        var precision = ModelOptions.Precision();
        var tag = new Option<string>("--tag") { Description = "Run tag (TREC column 6)", DefaultValueFactory = _ => "disco-rerank" };
        var command = new Command("rerank", "Rerank the top documents of a run with a cross-encoder")
        {
            model, run, queries, collection, depth, output, format, maxLength, batchSize, history, rewrite, threads, precision, tag,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(depth) < 1)
                throw new UsageException("--depth must be at least 1");
            var outPath = parse.GetValue(output)!;
            var runFormat = RunFormats.ForPath(outPath, parse.GetValue(format) is { } f ? RunFormats.Parse(f) : null);
            if (parse.GetValue(threads) is int n)
                TorchSharp.torch.set_num_threads(n);
            var firstStage = Run.Read(parse.GetValue(run)!);
            var options = new RerankerOptions(parse.GetValue(depth), Flattening(parse.GetValue(history)!), parse.GetValue(rewrite));
            var directory = ModelOptions.Loader().Locate(parse.GetValue(model)!, EncoderRole.Document);
            using var crossEncoder = CrossEncoder.Load(directory,
                new CrossEncoderOptions(parse.GetValue(maxLength), parse.GetValue(batchSize), ModelOptions.ParsePrecision(parse.GetValue(precision)!)), Console.Error);
            var reranker = new Reranker(crossEncoder, options);
            var queryPath = parse.GetValue(queries)!;
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var query in QueryFile.Read(queryPath))
                texts[query.Id] = reranker.QueryText(query);
            var missing = firstStage.Keys.FirstOrDefault(q => !texts.ContainsKey(q));
            if (missing is not null)
                throw new UsageException($"{queryPath}: query '{missing}' of the run is not in the queries file");
            Run reranked;
            var pairs = firstStage.Rankings.Sum(r => Math.Min(r.Count, options.Depth));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (var progress = new ProgressStages())
            {
                var passages = PassageStore.Load(parse.GetValue(collection)!, reranker.DocumentsToRead(firstStage), progress.Stage("reading passages"));
                clock.Restart();
                reranked = reranker.Rerank(firstStage, texts, passages, progress.Stage("reranking pairs", pairs));
            }
            reranked.Write(outPath, runFormat, parse.GetValue(tag)!);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"reranked {pairs} pairs of {reranked.Count} queries in {clock.Elapsed.TotalSeconds:F2}s ({pairs / Math.Max(1e-9, clock.Elapsed.TotalSeconds):F1} pairs/s); wrote {outPath}"));
            return 0;
        });
        return command;
    }

    private static FlatteningOptions Flattening(string history) =>
        new(history switch { "last" => FlatteningMode.LastQuestion, "questions" => FlatteningMode.QuestionsOnly, _ => FlatteningMode.Full });
}
