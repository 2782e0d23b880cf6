using Disco.Hub;
using Disco.Modeling;

namespace Disco.Cli.Configuration;

/// <summary>Settings of <c>disco quickstart</c>; the initialisers are the defaults (the DiSCo pair of the paper).</summary>
public sealed class QuickstartSettings
{
    public const string DefaultDocModel = "naver/splade-cocondenser-ensembledistil";
    public const string DefaultQueryModel = "slupart/splade-disco-topiocqa-mistral";

    /// <summary>Document encoder (SPLADE++), a directory or a HuggingFace id.</summary>
    public string DocModel { get; set; } = DefaultDocModel;

    /// <summary>Query encoder (DiSCo, trained on TopiOCQA with Mistral rewrites as teacher).</summary>
    public string QueryModel { get; set; } = DefaultQueryModel;

    public string Out { get; set; } = "disco-quickstart";

    /// <summary>The sample conversation turn to answer on screen; default: the last turn of the first conversation.</summary>
    public string? Conversation { get; set; }

    /// <summary>Passages shown for the answered conversation.</summary>
    public int Show { get; set; } = 3;

    /// <summary>Matching terms shown per passage.</summary>
    public int Terms { get; set; } = 8;

    public int MaxLength { get; set; } = SpladeEncoderOptions.DefaultMaxLength;

    public string Revision { get; set; } = HubOptions.DefaultRevision;
}
