using System.CommandLine;
using System.Globalization;
using Disco.Cli.Options;
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
        var topK = TopKOption.Create("Documents kept per query");
        var output = new RunOutputOptionGroup("Merged run", defaultTag: "disco-merged");
        var merge = new Command("merge", "Merge sharded runs and drop CAsT 2022 duplicate documents") { runs, duplicates };
        topK.AddTo(merge);
        output.AddTo(merge);
        merge.SetAction(parse =>
        {
            var k = TopKOption.Get(parse, topK);
            var drop = parse.GetValue(duplicates) is { } path ? Cast2022RunMerger.ReadDuplicates(path) : null;
            var merged = Cast2022RunMerger.Merge(parse.GetValue(runs)!.Select(path => Run.Read(path)), drop, k);
            var outPath = output.Write(parse, merged);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"merged {merged.Count} queries, {merged.Rankings.Sum(r => r.Count)} passages into {outPath}"));
            return 0;
        });
        var command = new Command("runs", "Operations on run files");
        command.Subcommands.Add(merge);
        return command;
    }
}
