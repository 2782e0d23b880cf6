using System.CommandLine;
using System.Globalization;
using Disco.Cli.Options;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Modeling;
using Disco.Retrieval;
using Disco.Training;

namespace Disco.Cli.Commands;

/// <summary>`disco teacher fuse|score`: build the teacher run DiSCo distils from.</summary>
public static class TeacherCommand
{
    public static Command Create()
    {
        var command = new Command("teacher", "Prepare teacher runs for DiSCo distillation");
        command.Subcommands.Add(CreateFuse());
        command.Subcommands.Add(CreateScore());
        return command;
    }

    private static Command CreateFuse()
    {
        var runs = new Option<string[]>("--run") { Description = "A teacher run (JSON or TREC); repeat for each teacher", Required = true, AllowMultipleArgumentsPerToken = false };
        var method = new Option<string>("--method") { Description = "minmax-mean (default), mean, max, rrf or union", DefaultValueFactory = _ => "minmax-mean" };
        method.AcceptOnlyFromAmong("minmax-mean", "mean", "max", "rrf", "union");
        var depth = TopKOption.Create("Documents kept per query", "--depth");
        var output = new Option<string>("--out") { Description = "Fused run (JSON {qid: {docid: score}} when the name ends in .json, else TREC)", Required = true };
        var command = new Command("fuse", "Fuse several teacher runs into one (multi-teacher distillation)") { runs, method, output };
        depth.AddTo(command);
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(runs)!;
            if (paths.Length == 0)
                throw new UsageException("--run: give at least one run");
            var fusion = parse.GetValue(method) switch
            {
                "mean" => FusionMethod.Mean,
                "max" => FusionMethod.Max,
                "rrf" => FusionMethod.Rrf,
                "union" => FusionMethod.Union,
                _ => FusionMethod.MinMaxMean,
            };
            var fused = TeacherFusion.Fuse(paths.Select(p => Run.Read(p)).ToArray(), fusion, TopKOption.Get(parse, depth));
            var outPath = parse.GetValue(output)!;
            Run.FromScores(fused).Write(outPath, tag: "teacher");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fused {paths.Length} runs ({parse.GetValue(method)}) into {fused.Count} queries: {outPath}"));
            return 0;
        });
        return command;
    }

    private static Command CreateScore()
    {
        var rewrites = new Option<string>("--rewrites") { Description = "Rewritten queries: TSV id<TAB>rewrite, or JSONL", Required = true };
        var collection = new Option<string>("--collection") { Description = "Passages: TSV id<TAB>text or JSONL", Required = true };
        var model = new Option<string>("--model") { Description = "SPLADE checkpoint that scores rewrite·passage", Required = true };
        var pairs = new Option<string>("--pairs") { Description = "The (query, passage) pairs needed: a run or qrels file", Required = true };
        var run = new Option<string?>("--run") { Description = "The teacher run to complete; pairs it already has are kept" };
        var output = new Option<string>("--out") { Description = "Completed run (JSON when the name ends in .json, else TREC)", Required = true };
        var batchSize = new Option<int>("--batch-size") { Description = "Texts per encoder batch", DefaultValueFactory = _ => SpladeEncoderOptions.DefaultBatchSize };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per text", DefaultValueFactory = _ => SpladeEncoderOptions.DefaultMaxLength };
        var command = new Command("score", "Compute missing teacher scores SPLADE(rewrite)·SPLADE(passage)") { rewrites, collection, model, pairs, run, output, batchSize, maxLength };
        command.SetAction(parse =>
        {
            var modelDir = CliModels.Loader().Locate(parse.GetValue(model)!, EncoderRole.Document);
            using var encoder = SpladeEncoder.Load(modelDir, new SpladeEncoderOptions(MaxLength: parse.GetValue(maxLength), BatchSize: parse.GetValue(batchSize)));
            var scorer = new TeacherScorer(encoder);
            var needed = ReadPairs(parse.GetValue(pairs)!);
            var existing = parse.GetValue(run) is { } runPath ? Run.Read(runPath) : null;
            using var progress = new ConsoleProgress("score");
            var (completed, computed) = scorer.Complete(
                TrainingQueries.Read(parse.GetValue(rewrites)!),
                TrainingQueries.ReadCollection(parse.GetValue(collection)!),
                needed, existing, progress);
            var outPath = parse.GetValue(output)!;
            Run.FromScores(completed).Write(outPath, tag: "teacher");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"computed {computed} teacher scores; {completed.Sum(q => q.Value.Count)} in {outPath}"));
            return 0;
        });
        return command;
    }

    private static List<(string, string)> ReadPairs(string path)
    {
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> asRun;
        try
        {
            asRun = Run.Read(path);
        }
        catch (DataFormatException)
        {
            // Not a run: a qrels file lists the pairs too (relevance is irrelevant here).
            return [.. Qrels.Read(path).SelectMany(q => q.Value.Keys.Select(d => (q.Key, d)))];
        }
        return [.. asRun.SelectMany(q => q.Value.Keys.Select(d => (q.Key, d)))];
    }
}
