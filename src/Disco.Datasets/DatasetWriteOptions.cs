using Disco.Core.Conversations;
using Disco.Core.Runs;
using Disco.Core.Texts;

namespace Disco.Datasets;

/// <summary>
/// What <see cref="DatasetWriter"/> writes beside the conversations: <paramref name="Flattening"/>
/// decides the query text of queries.tsv (the same flattening the encoders read);
/// <paramref name="Qrels"/> are judgments from a separate file; <paramref name="Collection"/> is
/// streamed to collection.tsv.
/// </summary>
/// <remarks>
/// The folder is written as a unit (<see cref="Core.IO.AtomicDirectory"/>): <see cref="WriteExtra"/>
/// adds files of the caller's (a configuration record) to it before it replaces the old one, and
/// <see cref="ExtraFileNames"/> names them, so that a folder from an earlier run may be replaced.
/// </remarks>
public sealed record DatasetWriteOptions(
    FlatteningOptions? Flattening = null,
    Qrels? Qrels = null,
    IEnumerable<TextRecord>? Collection = null,
    IProgress<long>? CollectionProgress = null)
{
    /// <summary>Writes the caller's own files into the folder being prepared (its path is given).</summary>
    public Action<string>? WriteExtra { get; init; }

    /// <summary>Names of the files <see cref="WriteExtra"/> writes (or an earlier run's caller wrote).</summary>
    public IReadOnlyCollection<string> ExtraFileNames { get; init; } = [];
}
