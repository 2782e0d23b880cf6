namespace Disco.Index;

/// <summary>The <c>pruning</c> section of meta.json: the static pruning rules and how many postings each removed.</summary>
public sealed class PruningMetadata
{
    public int? DocumentTerms { get; set; }

    public int? ListSize { get; set; }

    public float? MinWeight { get; set; }

    /// <summary>Non-zero postings in the input (a term repeated in a document counts once).</summary>
    public long InputPostings { get; set; }

    public long RemovedByMinWeight { get; set; }

    public long RemovedByDocumentTerms { get; set; }

    public long RemovedByListSize { get; set; }
}
