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
public sealed record DatasetWriteOptions(
    FlatteningOptions? Flattening = null,
    Qrels? Qrels = null,
    IEnumerable<TextRecord>? Collection = null,
    IProgress<long>? CollectionProgress = null);
