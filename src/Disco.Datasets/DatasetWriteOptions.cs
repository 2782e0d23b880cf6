using Disco.Core.Conversations;
using Disco.Core.Texts;

namespace Disco.Datasets;

/// <summary>
/// What <see cref="DatasetWriter"/> writes beside the conversations: <paramref name="Flatten"/> turns a
/// conversation into the query text of queries.tsv (the CLI passes Disco.Text's ConversationFlattener,
/// so the file matches what the encoders see); <paramref name="Qrels"/> are judgments from a separate
/// file; <paramref name="Collection"/> is streamed to collection.tsv.
/// </summary>
public sealed record DatasetWriteOptions(
    Func<Conversation, string> Flatten,
    IReadOnlyList<QrelEntry>? Qrels = null,
    IEnumerable<TextRecord>? Collection = null,
    IProgress<long>? CollectionProgress = null);
