using Disco.Core.Conversations;
using Disco.Datasets;

namespace Disco.Cli.Configuration;

/// <summary>Settings of <c>disco convert</c>; the initialisers are the defaults.</summary>
public sealed class ConvertSettings
{
    /// <summary>topiocqa, qrecc, cast or ikat.</summary>
    public DatasetKind? Dataset { get; set; }

    public string? Topics { get; set; }

    public string? Qrels { get; set; }

    public string? Collection { get; set; }

    public string? Out { get; set; }

    /// <summary>CAsT: which organisers' rewrite becomes <c>rewrite</c>.</summary>
    public CastRewrite Rewrite { get; set; } = CastRewrite.Manual;

    /// <summary>CAsT: a TSV of <c>qid&lt;TAB&gt;rewrite</c> (2019's annotated resolved file).</summary>
    public string? Rewrites { get; set; }

    /// <summary>How queries.tsv flattens a conversation: full (DiSCo), last_question or questions_only.</summary>
    public FlatteningMode Flatten { get; set; } = FlatteningMode.Full;

    /// <summary>Keep at most this many earlier turns in queries.tsv (all when unset).</summary>
    public int? MaxPreviousTurns { get; set; }
}
