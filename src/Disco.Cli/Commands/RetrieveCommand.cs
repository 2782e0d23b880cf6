using System.CommandLine;
using System.Globalization;
using Disco.Cli.Configuration;
using Disco.Cli.Retrieval;
using Disco.Core;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Evaluation;
using Disco.Index;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco retrieve</c>: SPLADE's retrieve in one call — encode each query set with the query
/// encoder, search the index, write the run, query statistics and per-query latencies, and
/// evaluate against the qrels. Accepts DiSCo's Hydra configuration (<c>--config-name</c>).
/// </summary>
public static class RetrieveCommand
{
    public static Command Create()
    {
        var index = new Option<string?>("--index") { Description = "Index directory (from 'disco index')" };
        var model = new Option<string?>("--model", "--query-model") { Description = "Query encoder: a directory or a HuggingFace id (e.g. slupart/splade-disco-topiocqa-mistral)" };
        var queries = new Option<string[]>("--queries") { Description = "Queries: TSV id<TAB>text or conversations JSONL (repeatable)", AllowMultipleArgumentsPerToken = true };
        var qrels = new Option<string[]>("--qrels") { Description = "Qrels for each --queries file, TREC or SPLADE JSON (repeatable)", AllowMultipleArgumentsPerToken = true };
        var names = new Option<string[]>("--name") { Description = "Output subfolder for each --queries file (default: its file name)" };
        var output = new Option<string?>("--out") { Description = "Output folder" };
        var topK = new Option<int?>("--top-k", "-k") { Description = "Documents per query (default 1000)" };
        var threshold = new Option<float?>("--threshold") { Description = "Drop documents scoring at or below this (default 0)" };
        var maxLength = new Option<int?>("--max-length") { Description = "Query wordpieces including [CLS]/[SEP] (default 256)" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Queries encoded together (1 = true per-query encoding latency)" };
        var flatten = new Option<FlatteningMode?>("--flatten") { Description = "Conversation flattening: full (DiSCo), lastquestion, questionsonly" };
        var measures = new Option<string[]>("--measure", "-m") { Description = "Measures (mrr_10, recip_rank, recall_100, ndcg_cut_3, map, ...; repeatable)" };
        var level = new Option<int?>("--relevance-level", "-l") { Description = "Grades at or above this are relevant (iKAT's helper: 2)" };
        var command = new Command("retrieve", "Encode queries or conversations, search an index, write the run and latencies, evaluate")
        {
            index, model, queries, qrels, names, output, topK, threshold, maxLength, batchSize, flatten, measures, level,
        };
        var configuration = new CommandConfiguration();
        configuration.AddTo(command);
        command.SetAction(parse =>
        {
            var resolved = configuration.Resolve<RetrieveSettings>(parse, "retrieve", s =>
            {
                s.Index = parse.GetValue(index) ?? s.Index;
                s.QueryModel = parse.GetValue(model) ?? s.QueryModel;
                if (parse.GetValue(queries) is { Length: > 0 } q)
                    s.Queries = [.. q];
                if (parse.GetValue(qrels) is { Length: > 0 } r)
                    s.Qrels = [.. r];
                if (parse.GetValue(names) is { Length: > 0 } n)
                    s.Names = [.. n];
                s.Out = parse.GetValue(output) ?? s.Out;
                s.TopK = parse.GetValue(topK) ?? s.TopK;
                s.Threshold = parse.GetValue(threshold) ?? s.Threshold;
                s.MaxLength = parse.GetValue(maxLength) ?? s.MaxLength;
                s.BatchSize = parse.GetValue(batchSize) ?? s.BatchSize;
                s.Flatten = parse.GetValue(flatten) ?? s.Flatten;
                if (parse.GetValue(measures) is { Length: > 0 } m)
                    s.Metrics = [.. m];
                s.RelevanceThreshold = parse.GetValue(level) ?? s.RelevanceThreshold;
            });
            Run(resolved);
            return 0;
        });
        return command;
    }

    private static void Run(ResolvedConfiguration<RetrieveSettings> resolved)
    {
        var s = resolved.Settings;
        var indexDir = s.Index ?? throw new UsageException("--index DIR is required (Hydra: config.index_dir=...)");
        var modelId = s.QueryModel ?? throw new UsageException("--model DIR|ID is required (Hydra: init_dict.model_type_or_dir_q=...)");
        var outDir = s.Out ?? throw new UsageException("--out DIR is required (Hydra: config.out_dir=...)");
        if (s.Queries.Count == 0)
            throw new UsageException("--queries FILE is required (Hydra: data.Q_COLLECTION_PATH=[...])");
        if (s.Qrels.Count > 0 && s.Qrels.Count != s.Queries.Count)
            throw new UsageException($"{s.Qrels.Count} qrels files for {s.Queries.Count} query files: give one per query file, in the same order");
        if (s.Names.Count > 0 && s.Names.Count != s.Queries.Count)
            throw new UsageException($"{s.Names.Count} names for {s.Queries.Count} query files");
        if (s.TopK < 1)
            throw new UsageException("top_k must be at least 1");
        MeasureSet measureSet;
        try
        {
            measureSet = MeasureSet.Parse(s.Metrics);
        }
        catch (DiscoException e)
        {
            throw new UsageException(e.Message);
        }
        using var encoder = ModelOptions.Loader(s.Revision).Load(modelId, EncoderRole.Query, new SpladeEncoderOptions(MaxLength: s.MaxLength, BatchSize: s.BatchSize));
        using var opened = SparseIndex.Open(indexDir);
        resolved.Save(outDir);
        var retriever = new ConversationalRetriever(encoder, opened, new RetrieverOptions(new FlatteningOptions(s.Flatten), new SearchOptions(s.TopK, Threshold: s.Threshold)));
        var evaluation = new EvaluationOptions(s.RelevanceThreshold);
        for (var i = 0; i < s.Queries.Count; i++)
        {
            var name = s.Names.Count > 0 ? s.Names[i] : Path.GetFileNameWithoutExtension(s.Queries[i]);
            var dir = Path.Combine(outDir, name);
            var queries = QueryFile.Read(s.Queries[i]);
            BatchSearchResult result;
            using (var progress = new ConsoleProgress($"retrieving {name}", queries.Count))
                result = retriever.SearchMany(queries, batch: new BatchSearchOptions(Latencies: true, EncodeBatchSize: s.BatchSize) { SearchProgress = progress });
            var run = RetrievalOutput.WriteRun(dir, result);
            var latency = result.Latencies!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {result.Results.Count} queries, L0_q {result.MeanQueryTerms:F1}, encode {latency.MeanEncodeMilliseconds:F2} ms/query, search {latency.MeanSearchMilliseconds:F2} ms/query -> {dir}"));
            if (s.Qrels.Count > 0)
            {
                var metrics = RetrievalOutput.Evaluate(dir, run, s.Qrels[i], measureSet, evaluation, name);
                Console.WriteLine($"{name}: {RetrievalOutput.Summary(metrics)}");
            }
        }
    }
}
