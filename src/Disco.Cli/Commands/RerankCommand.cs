using System.CommandLine;
using System.Globalization;
using Disco.Cli.Options;
using Disco.Core.Queries;
using Disco.Core.Runs;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco rerank</c>: rescores each query's top documents of a first-stage run with a cross-encoder
/// (<c>BertForSequenceClassification</c> or <c>DistilBertForSequenceClassification</c>, one logit) and writes the reranked run (the library's
/// <see cref="Reranker"/>).
/// </summary>
public static class RerankCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Cross-encoder: HuggingFace folder or id of a BertForSequenceClassification or DistilBertForSequenceClassification with one label (e.g. cross-encoder/ms-marco-MiniLM-L-6-v2)", Required = true };
        var run = new Option<string>("--run") { Description = "First-stage run, TREC or SPLADE JSON", Required = true };
        var queries = new Option<string>("--queries") { Description = "Queries: TSV id<TAB>text or conversations JSONL (flattened as for the query encoder, or --rewrite)", Required = true };
        var collection = new Option<string>("--collection") { Description = "Passages: TSV id<TAB>text or JSONL (only the run's top documents are kept in memory)", Required = true };
        var depth = new Option<int>("--depth") { Description = "Documents reranked per query; the rest follow in first-stage order", DefaultValueFactory = _ => RerankerOptions.DefaultDepth };
        var output = new RunOutputOptionGroup("Reranked run (.json for SPLADE JSON, else TREC)", "disco-rerank");
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per query-passage pair including [CLS] and both [SEP]; the passage is cut first", DefaultValueFactory = _ => CrossEncoderOptions.DefaultMaxLength };
        var batchSize = new Option<int>("--batch-size") { Description = "Pairs per forward pass (pairs are sorted by length)", DefaultValueFactory = _ => CrossEncoderOptions.DefaultBatchSize };
        var flattening = new FlatteningOptionGroup();
        var rewrite = new Option<bool>("--rewrite") { Description = "Use each conversation's rewrite (its \"rewrite\" field) as the query instead of flattening it" };
        var threads = ThreadsOption.Create();
        // Only the precision and revision options of the encoder group apply to a cross-encoder.
        var encoder = new EncoderOptionGroup(null);
        var command = new Command("rerank", "Rerank the top documents of a run with a cross-encoder")
        {
            model, run, queries, collection, depth, maxLength, batchSize, rewrite, threads, encoder.Precision, encoder.Revision,
        };
        output.AddTo(command);
        flattening.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(depth) < 1)
                throw new UsageException("--depth must be at least 1");
            ThreadsOption.Apply(parse, threads);
            var firstStage = Run.Read(parse.GetValue(run)!);
            var options = new RerankerOptions(parse.GetValue(depth), flattening.Build(parse), parse.GetValue(rewrite));
            var directory = encoder.Loader(parse).Locate(parse.GetValue(model)!, EncoderRole.Document);
            var precision = parse.GetValue(encoder.Precision) == "bfloat16" ? SpladePrecision.Bf16 : SpladePrecision.Fp32;
            using var crossEncoder = CrossEncoder.Load(directory, new CrossEncoderOptions(parse.GetValue(maxLength), parse.GetValue(batchSize), precision), Console.Error);
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
            var outPath = output.Write(parse, reranked);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"reranked {pairs} pairs of {reranked.Count} queries in {clock.Elapsed.TotalSeconds:F2}s ({pairs / Math.Max(1e-9, clock.Elapsed.TotalSeconds):F1} pairs/s); wrote {outPath}"));
            return 0;
        });
        return command;
    }
}
