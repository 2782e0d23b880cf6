using System.CommandLine;
using System.Globalization;
using Disco.Core.Runs;
using Disco.Datasets;

namespace Disco.Cli.Commands;

/// <summary>
/// <c>disco runs merge</c>: merges runs retrieved from shards of one collection (CAsT 2022's MS MARCO
/// v2, KILT and WaPo indexes), drops passages of documents listed as duplicates, keeps the top k.
/// </summary>
public static class RunsCommand
{
    public static Command Create()
    {
        var runs = new Option<string[]>("--run") { Description = "Run file, TREC or SPLADE JSON (repeat; on a repeated passage the later run's score wins)", Required = true };
        var duplicates = new Option<string?>("--duplicates") { Description = "Duplicate documents list: each line a kept document id followed by its duplicates" };
        var topK = new Option<int>("--top-k", "-k") { Description = "Documents kept per query", DefaultValueFactory = _ => Disco.Retrieval.SearchOptions.DefaultTopK };
        var output = new Option<string>("--out") { Description = "Merged run (.json for SPLADE JSON, else TREC)", Required = true };
        var merge = new Command("merge", "Merge sharded runs and drop CAsT 2022 duplicate documents") { runs, duplicates, topK, output };
        merge.SetAction(parse =>
        {
            if (parse.GetValue(topK) < 1)
                throw new UsageException("--top-k must be at least 1");
            var drop = parse.GetValue(duplicates) is { } path ? Cast2022RunMerger.ReadDuplicates(path) : null;
            var merged = Cast2022RunMerger.Merge(parse.GetValue(runs)!.Select(path => Run.Read(path)), drop, parse.GetValue(topK));
            var outPath = parse.GetValue(output)!;
            merged.Write(outPath, tag: "disco-merged");
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"merged {merged.Count} queries, {merged.Rankings.Sum(r => r.Count)} passages into {outPath}"));
            return 0;
        });
        var command = new Command("runs", "Operations on run files");
        command.Subcommands.Add(merge);
        return command;
    }
}
