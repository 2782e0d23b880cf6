using System.CommandLine;
using System.Globalization;
using Disco.Cli.Configuration;
using Disco.Cli.Options;
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
        var datasetOption = new Option<DatasetKind?>("--dataset") { Description = "The dataset, when not given as the first word (configuration files)", Hidden = true };
        var topics = new Option<string?>("--topics") { Description = "The dataset's topics file (JSON)" };
        var qrels = new Option<string?>("--qrels") { Description = "Official TREC qrels to pass through (qrels.trec and qrels.json)" };
        var collection = new Option<string?>("--collection") { Description = "Passages (TopiOCQA full_wiki_segments.tsv, TSV id<TAB>text, JSONL) to write as collection.tsv" };
        var output = new Option<string?>("--out") { Description = "Output folder" };
        var rewrite = new Option<CastRewrite>("--rewrite") { Description = "CAsT: manual or automatic rewrites", DefaultValueFactory = _ => CastRewrite.Manual };
        var rewrites = new Option<string?>("--rewrites") { Description = "CAsT: TSV qid<TAB>rewrite (2019's annotated resolved file)" };
        var flattening = new FlatteningOptionGroup();
        var command = new Command("convert", "Convert TopiOCQA, QReCC, TREC CAsT or iKAT topics (and qrels, collection) to disco's canonical files")
        {
            dataset, datasetOption, topics, qrels, collection, output, rewrite, rewrites,
        };
        flattening.AddTo(command);
        command.SetAction(parse =>
        {
            if ((parse.GetValue(dataset) ?? parse.GetValue(datasetOption)) is not { } kind)
                throw new UsageException("which dataset? disco convert topiocqa|qrecc|cast|ikat --topics FILE --out DIR");
            var topicsPath = parse.GetValue(topics) ?? throw new UsageException("--topics FILE is required");
            var outDir = parse.GetValue(output) ?? throw new UsageException("--out DIR is required");
            var collectionPath = parse.GetValue(collection);
            var converted = kind switch
            {
                DatasetKind.Topiocqa => TopiOcqaConverter.Read(topicsPath),
                DatasetKind.Qrecc => QreccConverter.Read(topicsPath),
                DatasetKind.Cast => CastConverter.Read(topicsPath, new CastOptions(parse.GetValue(rewrite), parse.GetValue(rewrites), CanonicalPassages(topicsPath, collectionPath))),
                _ => IkatConverter.Read(topicsPath),
            };
            IEnumerable<TextRecord>? passages = collectionPath is null ? null
                : kind == DatasetKind.Topiocqa ? TopiOcqaConverter.ReadCollection(collectionPath)
                : PassageFile.Read(collectionPath);
            DatasetWriteSummary summary;
            using (var progress = passages is null ? null : new ConsoleProgress("collection"))
            {
                summary = DatasetWriter.Write(converted, outDir, new DatasetWriteOptions(
                    flattening.Build(parse),
                    parse.GetValue(qrels) is { } qrelsPath ? Qrels.Read(qrelsPath) : null,
                    passages,
                    progress));
            }
            CommandConfiguration.Save(parse, outDir);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{converted.Name}: {summary.Turns} turns, {summary.QrelsLines} judgments for {summary.JudgedQueries} queries, {summary.Passages} passages -> {outDir}"));
            if (summary.JudgedQueriesWithoutTurn > 0)
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: {summary.JudgedQueriesWithoutTurn} judged queries have no turn in the topics (different ids or split?)"));
            return 0;
        });
        return command;
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
