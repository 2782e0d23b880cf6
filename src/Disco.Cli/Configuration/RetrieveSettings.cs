using Disco.Core.Conversations;
using Disco.Hub;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Cli.Configuration;

/// <summary>Settings of <c>disco retrieve</c> (SPLADE's retrieve: search plus evaluation); the initialisers are the defaults.</summary>
public sealed class RetrieveSettings
{
    public string? Index { get; set; }

    /// <summary>Query encoder: a directory or a HuggingFace id.</summary>
    public string? QueryModel { get; set; }

    /// <summary>Query files: TSV <c>id&lt;TAB&gt;text</c> or conversations JSONL (flattened with <see cref="Flatten"/>).</summary>
    public List<string> Queries { get; set; } = [];

    /// <summary>Qrels per query file (TREC or SPLADE JSON); none means search only.</summary>
    public List<string> Qrels { get; set; } = [];

    /// <summary>Output subfolder per query file (DiSCo's retrieval_name); default: the query file's name.</summary>
    public List<string> Names { get; set; } = [];

    public string? Out { get; set; }

    public int TopK { get; set; } = SearchOptions.DefaultTopK;

    /// <summary>Documents scoring at or below this are dropped (SPLADE's config.threshold).</summary>
    public float Threshold { get; set; }

    public int MaxLength { get; set; } = SpladeEncoderOptions.DefaultMaxLength;

    public int BatchSize { get; set; } = SpladeEncoderOptions.DefaultBatchSize;

    public FlatteningMode Flatten { get; set; } = FlatteningMode.Full;

    /// <summary>Measures (trec_eval names and SPLADE's mrr_10 / mrr_1000 / recall / ndcg_cut).</summary>
    public List<string> Metrics { get; set; } = ["mrr_10", "recip_rank", "recall_10", "recall_100", "recall_1000", "ndcg_cut_3"];

    /// <summary>Grades at or above this count as relevant (iKAT's helper uses 2).</summary>
    public int RelevanceThreshold { get; set; } = 1;

    /// <summary>Branch, tag or commit of a HuggingFace model id.</summary>
    public string Revision { get; set; } = HubOptions.DefaultRevision;
}
