using Disco.Core;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Experiments;

/// <summary>Settings of <see cref="BeirEvaluation"/>.</summary>
public sealed record BeirOptions
{
    /// <summary>Where indexes are kept, one per dataset and document model: <c>CacheDirectory/&lt;dataset&gt;/&lt;model key&gt;</c>.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Documents retrieved per query (BEIR's evaluation retrieves 1000).</summary>
    public int TopK { get; init; } = SearchOptions.DefaultTopK;

    /// <summary>
    /// Drop a retrieved document whose id equals the query id, as BEIR's evaluation and SPLADE's
    /// BEIR script do (ArguAna and Quora queries are also documents).
    /// </summary>
    public bool IgnoreIdenticalIds { get; init; } = true;

    /// <summary>Encoder settings for documents and queries (max length, batch size, pooling).</summary>
    public SpladeEncoderOptions Encoding { get; init; } = new();

    /// <summary>Search threads (0: all cores).</summary>
    public int SearchThreads { get; init; }

    /// <summary>Rebuild indexes even when a cached one exists.</summary>
    public bool Force { get; init; }

    /// <summary>The qrels split (<c>qrels/&lt;split&gt;.tsv</c>).</summary>
    public string Split { get; init; } = "test";

    /// <summary>Progress of each step: called with a label and a total (null: unknown), returns its sink.</summary>
    public Func<string, long?, IProgress<long>>? Progress { get; init; }

    /// <summary>Throws when a value cannot work; messages name the property.</summary>
    public void Validate()
    {
        if (TopK < 100)
            throw new DiscoException($"{nameof(TopK)} must be at least 100 (Recall@100 is measured), got {TopK}");
        if (string.IsNullOrWhiteSpace(CacheDirectory))
            throw new DiscoException($"{nameof(CacheDirectory)} is required");
    }
}
