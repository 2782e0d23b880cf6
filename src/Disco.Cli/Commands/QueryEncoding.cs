using System.CommandLine;
using Disco.Cli.Options;
using Disco.Core.Queries;
using Disco.Core.Vectors;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// The options that turn a query file into vectors, shared by the verbs that read queries
/// (search, index stats): an encoder group, a flattening group and --threads.
/// </summary>
internal sealed class QueryEncoding
{
    public EncoderOptionGroup Encoder { get; } = new("Query encoder to encode text queries and conversations: a directory (its query/ encoder when present) or a HuggingFace id", modelRequired: false, "--query-model");

    public FlatteningOptionGroup Flattening { get; } = new();

    public Option<int?> Threads { get; } = ThreadsOption.Create();

    public QueryEncoding() => Encoder.Threads = Threads;

    public void AddTo(Command command)
    {
        Encoder.AddTo(command);
        Flattening.AddTo(command);
        command.Options.Add(Threads);
    }

    /// <summary>
    /// The query encoder of --model when some query of <paramref name="path"/> needs encoding; null
    /// when all are vectors (a vectors JSONL is searched as it is, even with --model).
    /// </summary>
    public ISparseEncoder? LoadEncoder(ParseResult parse, string path, IReadOnlyList<Query> queries)
    {
        if (!queries.Any(q => q.NeedsEncoding))
            return null;
        if (parse.GetValue(Encoder.Model!) is null)
            throw new UsageException($"{path}: queries are text or conversations, not vectors; encoding them needs --model DIR (or give a vectors JSONL from 'disco encode')");
        return Encoder.Load(parse, EncoderRole.Query);
    }
}
