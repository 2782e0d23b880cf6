using System.CommandLine;
using System.Globalization;
using Disco.Cli.Options;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>`disco expand`: the highest-weighted vocabulary terms of one text, as SPLADE's inference notebook shows them.</summary>
public static class ExpandCommand
{
    public static Command Create()
    {
        var encoder = new EncoderOptionGroup("HuggingFace model directory or model id", modelRequired: true, "-m");
        var top = new Option<int>("--top") { Description = "Number of terms to print", DefaultValueFactory = _ => 30 };
        var threads = ThreadsOption.Create();
        encoder.Threads = threads;
        var query = new Option<bool>("--query") { Description = "Use the query encoder (DIR/query) when the model directory has one" };
        var text = new Argument<string>("text") { Description = "The text to expand" };
        var command = new Command("expand", "Print the highest-weighted SPLADE terms of a text") { top, threads, query, text };
        encoder.AddTo(command);
        command.SetAction(parse =>
        {
            var count = parse.GetValue(top);
            if (count < 1)
                throw new UsageException("--top must be at least 1");
            ThreadsOption.Apply(parse, threads);
            using var sparse = encoder.Load(parse, parse.GetValue(query) ? EncoderRole.Query : EncoderRole.Document);
            var vector = sparse.Encode([parse.GetRequiredValue(text)])[0];
            var terms = Enumerable.Range(0, vector.Count).OrderByDescending(i => vector.Values[i]).ThenBy(i => vector.Indices[i]).Take(count);
            Console.WriteLine($"{vector.Count} non-zero terms; top {Math.Min(count, vector.Count)}:");
            foreach (var i in terms)
                Console.WriteLine($"{sparse.Vocabulary[vector.Indices[i]]}\t{vector.Values[i].ToString("F4", CultureInfo.InvariantCulture)}");
            return 0;
        });
        return command;
    }
}
