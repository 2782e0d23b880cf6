using Disco.Core;

namespace Disco.Cli.Retrieval;

/// <summary>
/// The sample data shipped inside disco for <c>disco quickstart</c>: 24 short passages, three
/// multi-turn conversations (one line per turn, history included) and their qrels, all written
/// for this repository.
/// </summary>
public static class QuickstartSample
{
    public const string CollectionFile = "collection.tsv";
    public const string ConversationsFile = "conversations.jsonl";
    public const string QrelsFile = "qrels.trec";

    /// <summary>Writes the three sample files into <paramref name="directory"/> and returns it.</summary>
    public static string WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var name in new[] { CollectionFile, ConversationsFile, QrelsFile })
        {
            using var resource = typeof(QuickstartSample).Assembly.GetManifestResourceStream($"Disco.Cli.Samples.{name}")
                ?? throw new DiscoException($"sample {name} is missing from this build of disco");
            Core.IO.AtomicFile.Write(Path.Combine(directory, name), resource.CopyTo);
        }
        return directory;
    }
}
