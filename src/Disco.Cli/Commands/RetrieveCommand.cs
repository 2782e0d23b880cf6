using System.CommandLine;
using System.Globalization;
using Disco.Cli.Configuration;
using Disco.Cli.Options;
using Disco.Cli.Retrieval;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Queries;
using Disco.Evaluation;
using Disco.Index;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco retrieve</c>: SPLADE's retrieve in one call — encode each query set with the query
/// encoder, search the index, write the run, query statistics and per-query latencies, and
/// evaluate against the qrels. Accepts DiSCo's Hydra configuration (<c>--config-name</c>).
/// </summary>
public static class RetrieveCommand
{
    /// <summary>SPLADE's retrieve measures: trec_eval names and SPLADE's mrr_10 / recall / ndcg_cut.</summary>
    private static readonly string[] DefaultMeasures = ["mrr_10", "recip_rank", "recall_10", "recall_100", "recall_1000", "ndcg_cut_3"];

    public static Command Create()
    {
        var index = new Option<string?>("--index") { Description = "Index directory (from 'disco index')" };
        var encoder = new EncoderOptionGroup("Query encoder: a directory or a HuggingFace id (e.g. slupart/splade-disco-topiocqa-mistral)", modelRequired: false, "--query-model");
        var queries = new Option<string[]>("--queries") { Description = "Queries: TSV id<TAB>text, conversations JSONL or vectors JSONL (repeatable)", AllowMultipleArgumentsPerToken = true };
        var qrels = new Option<string[]>("--qrels") { Description = "Qrels for each --queries file, TREC or SPLADE JSON (repeatable)", AllowMultipleArgumentsPerToken = true };
        var names = new Option<string[]>("--name") { Description = "Output subfolder for each --queries file (default: its file name)" };
        var output = new Option<string?>("--out") { Description = "Output folder" };
        var topK = TopKOption.Create();
        var threshold = new Option<float>("--threshold") { Description = "Drop documents scoring at or below this (SPLADE's config.threshold)" };
        var flattening = new FlatteningOptionGroup();
        var measures = new Option<string[]>("--measure", "-m") { Description = "Measures (mrr_10, recip_rank, recall_100, ndcg_cut_3, map, ...; repeatable)", DefaultValueFactory = _ => DefaultMeasures };
        var level = new Option<int>("--relevance-level", "-l") { Description = "Grades at or above this are relevant (iKAT's helper: 2)", DefaultValueFactory = _ => new EvaluationOptions().RelevanceLevel };
        var command = new Command("retrieve", "Encode queries or conversations, search an index, write the run and latencies, evaluate")
        {
            index, queries, qrels, names, output, threshold, measures, level,
        };
        encoder.AddTo(command);
        topK.AddTo(command);
        flattening.AddTo(command);
        command.SetAction(parse =>
        {
            var indexDir = parse.GetValue(index) ?? throw new UsageException("--index DIR is required (Hydra: config.index_dir=...)");
            var modelId = parse.GetValue(encoder.Model!) ?? throw new UsageException("--model DIR|ID is required (Hydra: init_dict.model_type_or_dir_q=...)");
            var outDir = parse.GetValue(output) ?? throw new UsageException("--out DIR is required (Hydra: config.out_dir=...)");
            var queryFiles = parse.GetValue(queries) ?? [];
            var qrelsFiles = parse.GetValue(qrels) ?? [];
            var nameList = parse.GetValue(names) ?? [];
            if (queryFiles.Length == 0)
                throw new UsageException("--queries FILE is required (Hydra: data.Q_COLLECTION_PATH=[...])");
            if (qrelsFiles.Length > 0 && qrelsFiles.Length != queryFiles.Length)
                throw new UsageException($"{qrelsFiles.Length} qrels files for {queryFiles.Length} query files: give one per query file, in the same order");
            if (nameList.Length > 0 && nameList.Length != queryFiles.Length)
                throw new UsageException($"{nameList.Length} names for {queryFiles.Length} query files");
            var k = TopKOption.Get(parse, topK);
            MeasureSet measureSet;
            try
            {
                measureSet = MeasureSet.Parse(parse.GetValue(measures)!);
            }
            catch (DiscoException e)
            {
                throw new UsageException(e.Message);
            }
            using var queryEncoder = encoder.Load(parse, EncoderRole.Query, modelId);
            using var opened = SparseIndex.Open(indexDir);
            CommandConfiguration.Save(parse, outDir);
            var retriever = new ConversationalRetriever(queryEncoder, opened, new RetrieverOptions(flattening.Build(parse), new SearchOptions(k, Threshold: parse.GetValue(threshold))));
            var evaluation = new EvaluationOptions(parse.GetValue(level));
            for (var i = 0; i < queryFiles.Length; i++)
            {
                var name = nameList.Length > 0 ? nameList[i] : Path.GetFileNameWithoutExtension(queryFiles[i]);
                var dir = Path.Combine(outDir, name);
                var read = QueryFile.Read(queryFiles[i]);
                BatchSearchResult result;
                using (var progress = new ConsoleProgress($"retrieving {name}", read.Count))
                    result = retriever.SearchMany(read, batch: new BatchSearchOptions(Latencies: true, EncodeBatchSize: parse.GetValue(encoder.BatchSize)) { SearchProgress = progress });
                var run = RetrievalOutput.WriteRun(dir, result);
                var latency = result.Latencies!;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {result.Results.Count} queries, L0_q {result.MeanQueryTerms:F1}, encode {latency.MeanEncodeMilliseconds:F2} ms/query, search {latency.MeanSearchMilliseconds:F2} ms/query -> {dir}"));
                if (qrelsFiles.Length > 0)
                {
                    var metrics = RetrievalOutput.Evaluate(dir, run, qrelsFiles[i], measureSet, evaluation, name);
                    Console.WriteLine($"{name}: {RetrievalOutput.Summary(metrics)}");
                }
            }
            return 0;
        });
        return command;
    }
}
