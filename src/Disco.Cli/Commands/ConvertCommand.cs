using System.CommandLine;
using System.Globalization;
using Disco.Cli.Configuration;
using Disco.Core.Conversations;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Core.Texts;
using Disco.Datasets;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco convert topiocqa|qrecc|cast|ikat --topics FILE [--qrels FILE] [--collection FILE] --out DIR</c>:
/// writes a dataset's canonical files (docs/datasets.md).
/// </summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var dataset = new Argument<DatasetKind?>("dataset") { Description = "topiocqa, qrecc, cast or ikat", Arity = ArgumentArity.ZeroOrOne };
        var topics = new Option<string?>("--topics") { Description = "The dataset's topics file (JSON)" };
        var qrels = new Option<string?>("--qrels") { Description = "Official TREC qrels to pass through (qrels.trec and qrels.json)" };
        var collection = new Option<string?>("--collection") { Description = "Passages (TopiOCQA full_wiki_segments.tsv, TSV id<TAB>text, JSONL) to write as collection.tsv" };
        var output = new Option<string?>("--out") { Description = "Output folder" };
        var rewrite = new Option<CastRewrite?>("--rewrite") { Description = "CAsT: manual or automatic rewrites" };
        var rewrites = new Option<string?>("--rewrites") { Description = "CAsT: TSV qid<TAB>rewrite (2019's annotated resolved file)" };
        var flatten = new Option<FlatteningMode?>("--flatten") { Description = "queries.tsv text: full (DiSCo), lastquestion or questionsonly" };
        var command = new Command("convert", "Convert TopiOCQA, QReCC, TREC CAsT or iKAT topics (and qrels, collection) to disco's canonical files")
        {
            dataset, topics, qrels, collection, output, rewrite, rewrites, flatten,
        };
        var configuration = new CommandConfiguration();
        configuration.AddTo(command);
        command.SetAction(parse =>
        {
            var resolved = configuration.Resolve<ConvertSettings>(parse, "convert", s =>
            {
                s.Dataset = parse.GetValue(dataset) ?? s.Dataset;
                s.Topics = parse.GetValue(topics) ?? s.Topics;
                s.Qrels = parse.GetValue(qrels) ?? s.Qrels;
                s.Collection = parse.GetValue(collection) ?? s.Collection;
                s.Out = parse.GetValue(output) ?? s.Out;
                s.Rewrite = parse.GetValue(rewrite) ?? s.Rewrite;
                s.Rewrites = parse.GetValue(rewrites) ?? s.Rewrites;
                s.Flatten = parse.GetValue(flatten) ?? s.Flatten;
            });
            Run(resolved);
            return 0;
        });
        return command;
    }

    private static void Run(ResolvedConfiguration<ConvertSettings> resolved)
    {
        var s = resolved.Settings;
        if (s.Dataset is not { } kind)
            throw new UsageException("which dataset? disco convert topiocqa|qrecc|cast|ikat --topics FILE --out DIR");
        var topics = s.Topics ?? throw new UsageException("--topics FILE is required");
        var outDir = s.Out ?? throw new UsageException("--out DIR is required");
        var converted = kind switch
        {
            DatasetKind.Topiocqa => TopiOcqaConverter.Read(topics),
            DatasetKind.Qrecc => QreccConverter.Read(topics),
            DatasetKind.Cast => CastConverter.Read(topics, new CastOptions(s.Rewrite, s.Rewrites, CanonicalPassages(topics, s.Collection))),
            _ => IkatConverter.Read(topics),
        };
        IEnumerable<TextRecord>? passages = s.Collection is null ? null
            : kind == DatasetKind.Topiocqa ? TopiOcqaConverter.ReadCollection(s.Collection)
            : PassageFile.Read(s.Collection);
        var flattening = new FlatteningOptions(s.Flatten, s.MaxPreviousTurns);
        using var progress = passages is null ? null : new ConsoleProgress("collection");
        var summary = DatasetWriter.Write(converted, outDir, new DatasetWriteOptions(
            flattening,
            s.Qrels is null ? null : Qrels.Read(s.Qrels),
            passages,
            progress));
        progress?.Dispose();
        resolved.Save(outDir);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{converted.Name}: {summary.Turns} turns, {summary.QrelsLines} judgments for {summary.JudgedQueries} queries, {summary.Passages} passages -> {outDir}"));
        if (summary.JudgedQueriesWithoutTurn > 0)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: {summary.JudgedQueriesWithoutTurn} judged queries have no turn in the topics (different ids or split?)"));
    }

    /// <summary>CAsT 2020/2021 answers are canonical passages given by id: fetch just those from the collection.</summary>
    private static Dictionary<string, string>? CanonicalPassages(string topics, string? collection)
    {
        if (collection is null)
            return null;
        var ids = CastConverter.CanonicalResultIds(topics);
        return ids.Count == 0 ? null : PassageFile.Select(collection, ids);
    }
}
