using System.CommandLine;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Evaluation;

namespace Disco.Cli.Commands;

/// <summary>
/// `disco evaluate`: trec_eval-compatible evaluation of one run (trec_eval's text layout) or a comparison of
/// several runs against the first with paired significance tests.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var qrels = new Option<string>("--qrels") { Description = "Relevance judgements: TREC qrels (qid 0 docid rel) or SPLADE JSON {qid: {docid: rel}}", Required = true };
        var runs = new Option<string[]>("--run") { Description = "Run file (TREC or SPLADE JSON); repeat to compare runs against the first", Required = true };
        var measures = new Option<string[]>("--measure", "-m") { Description = "trec_eval measure, e.g. map, ndcg_cut.3,10, P, recall.100, success.1; also mrr.10 (or mrr_10), judged.10; repeatable. Default: num_q num_ret num_rel num_rel_ret map Rprec recip_rank P" };
        var level = new Option<int>("--relevance-level", "-l") { Description = "Grades at or above this are relevant for binary measures (nDCG uses raw grades)", DefaultValueFactory = _ => 1 };
        var perQuery = new Option<bool>("--per-query", "-q") { Description = "Also print each query's values" };
        var complete = new Option<bool>("--complete", "-c") { Description = "Average over every qrels query; queries missing from the run score 0" };
        var format = new Option<string>("--format") { Description = "Output: text (trec_eval layout; a table for several runs) or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var trials = new Option<int>("--trials") { Description = "Random sign assignments of the randomisation test", DefaultValueFactory = _ => SignificanceTest.DefaultTrials };
        var output = new Option<string?>("--out", "-o") { Description = "Write the results to this file (atomically) instead of stdout" };
        var seed = new Option<int>("--seed") { Description = "Seed of the randomisation test", DefaultValueFactory = _ => SignificanceTest.DefaultSeed };

        var command = new Command("evaluate", "Evaluate runs against qrels with trec_eval's measures and semantics");
        foreach (var option in new Option[] { qrels, runs, measures, level, perQuery, complete, format, output, trials, seed })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            var requested = parse.GetValue(measures) ?? [];
            MeasureSet set;
            try
            {
                set = requested.Length == 0 ? MeasureSet.Official : MeasureSet.Parse(requested);
            }
            catch (DiscoException e)
            {
                throw new UsageException(e.Message);
            }
            if (parse.GetValue(trials) < 1)
                throw new UsageException("--trials must be at least 1");
            var options = new EvaluationOptions(parse.GetValue(level), parse.GetValue(complete));
            var judgements = Qrels.Read(parse.GetValue(qrels)!);
            var paths = parse.GetValue(runs)!;
            var results = new EvaluationResult[paths.Length];
            for (var i = 0; i < paths.Length; i++)
            {
                Run run;
                using (var progress = new ConsoleProgress($"reading {Path.GetFileName(paths[i])}", File.Exists(paths[i]) ? new FileInfo(paths[i]).Length : null))
                    run = Run.Read(paths[i], progress);
                results[i] = Evaluator.Evaluate(judgements, run, set, options);
                if (results[i].IgnoredRunQueries > 0)
                    Console.Error.WriteLine($"note: {paths[i]}: {results[i].IgnoredRunQueries} run queries have no judgements and were skipped, as trec_eval does");
            }
            var json = parse.GetValue(format) == "json";
            var showQueries = parse.GetValue(perQuery);
            if (showQueries && paths.Length > 1 && !json)
                Console.Error.WriteLine("note: per-query values of several runs are in --format json");
            Action<Stream> emit;
            if (paths.Length == 1)
            {
                emit = json
                    ? stream => EvaluationJson.Write(stream, paths[0], results[0], options, showQueries)
                    : stream => WriteText(stream, w => TrecEvalFormat.Write(w, results[0], showQueries));
            }
            else
            {
                // Label runs by file name unless two runs share one.
                var names = paths.Select(Path.GetFileName).Distinct(StringComparer.Ordinal).Count() == paths.Length
                    ? paths.Select(p => Path.GetFileName(p)!).ToArray()
                    : paths;
                var comparison = RunComparison.Compare(names, results, parse.GetValue(trials), parse.GetValue(seed));
                emit = json
                    ? stream => EvaluationJson.Write(stream, comparison, options, showQueries)
                    : stream => WriteText(stream, w => ComparisonTable.Write(w, comparison));
            }
            var target = parse.GetValue(output);
            if (target is null)
            {
                using var stdout = Console.OpenStandardOutput();
                emit(stdout);
            }
            else
            {
                AtomicFile.Write(target, emit);
            }
            return 0;
        });
        return command;
    }

    private static void WriteText(Stream stream, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        write(writer);
    }
}
