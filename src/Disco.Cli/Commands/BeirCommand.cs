using System.CommandLine;
using Disco.Cli.Options;
using Disco.Core.IO;
using Disco.Datasets;
using Disco.Experiments;

namespace Disco.Cli.Commands;

/// <summary><c>disco beir</c>: nDCG@10 and Recall@100 on BEIR-layout datasets (the library's <see cref="BeirEvaluation"/>).</summary>
public static class BeirCommand
{
    public static Command Create()
    {
        var docModel = new Option<string>("--doc-model") { Description = "SPLADE document encoder: HuggingFace folder or id", Required = true };
        var queryModel = new Option<string?>("--query-model") { Description = "Query encoder (default: the document model, or its query/ folder)" };
        var datasets = new Option<string[]>("--dataset") { Description = "BEIR dataset folder with corpus.jsonl, queries.jsonl and qrels/test.tsv (repeat)", Required = true };
        var cache = new Option<string>("--cache") { Description = "Folder of cached indexes, one per dataset and document model", DefaultValueFactory = _ => "beir-indexes" };
        var output = new Option<string?>("--out") { Description = "Folder for beir.json (per dataset and mean) and each dataset's run (<dataset>/run.json)" };
        var topK = new Option<int>("--top-k", "-k") { Description = "Documents retrieved per query", DefaultValueFactory = _ => Disco.Retrieval.SearchOptions.DefaultTopK };
        // Both models are named above: the group gives pooling, length, batch, precision and revision.
        var encoder = new EncoderOptionGroup(null);
        var threads = ThreadsOption.Create();
        encoder.Threads = threads;
        var split = new Option<string>("--split") { Description = "qrels split (qrels/<split>.tsv)", DefaultValueFactory = _ => "test" };
        var keepIdentical = new Option<bool>("--keep-identical-ids") { Description = "Keep retrieved documents whose id equals the query id (BEIR drops them)" };
        var force = new Option<bool>("--force") { Description = "Rebuild cached indexes" };
        var command = new Command("beir", "Evaluate a SPLADE model on BEIR datasets: nDCG@10 and Recall@100 per dataset and their mean")
        {
            docModel, queryModel, datasets, cache, output, topK, threads, split, keepIdentical, force,
        };
        encoder.AddTo(command);
        command.SetAction(parse =>
        {
            var threadCount = ThreadsOption.Apply(parse, threads);
            var outDir = parse.GetValue(output);
            var progress = new ProgressStages();
            var options = new BeirOptions
            {
                CacheDirectory = parse.GetValue(cache)!,
                TopK = parse.GetValue(topK),
                IgnoreIdenticalIds = !parse.GetValue(keepIdentical),
                Encoding = encoder.Build(parse),
                SearchThreads = threadCount,
                Force = parse.GetValue(force),
                Split = parse.GetValue(split)!,
                Progress = progress.Stage,
            };
            var results = new List<BeirDatasetResult>();
            using (progress)
            using (var evaluation = new BeirEvaluation(encoder.Loader(parse), parse.GetValue(docModel)!, parse.GetValue(queryModel), options))
            {
                foreach (var path in parse.GetValue(datasets)!)
                {
                    var dataset = BeirDataset.Open(path, options.Split);
                    string? runPath = null;
                    if (outDir is not null)
                    {
                        Directory.CreateDirectory(Path.Combine(outDir, dataset.Name));
                        runPath = Path.Combine(outDir, dataset.Name, "run.json");
                    }
                    var result = evaluation.Evaluate(dataset, runPath);
                    Console.Error.WriteLine($"{result.Dataset}: nDCG@10 {result.NdcgAt10:F4}, R@100 {result.RecallAt100:F4} ({result.Queries} queries; index {(result.IndexReused ? "reused from" : "built in")} {result.IndexDirectory})");
                    results.Add(result);
                }
            }
            var report = new BeirReport(results, parse.GetValue(docModel)!, parse.GetValue(queryModel) ?? parse.GetValue(docModel)!);
            Console.Out.Write(report.ToTable());
            if (outDir is not null)
            {
                var jsonPath = Path.Combine(outDir, "beir.json");
                AtomicFile.WriteAllText(jsonPath, report.ToJson());
                Console.Error.WriteLine($"wrote {jsonPath}");
            }
            return 0;
        });
        return command;
    }
}
