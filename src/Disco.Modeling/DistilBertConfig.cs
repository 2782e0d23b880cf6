using System.Text.Json.Nodes;

namespace Disco.Modeling;

/// <summary>
/// The architecture of a DistilBERT masked-language model (<c>model_type: distilbert</c>). Its
/// config.json names differ from BERT's: <c>dim</c>, <c>n_layers</c>, <c>n_heads</c>,
/// <c>hidden_dim</c>, <c>activation</c>, <c>dropout</c>, <c>attention_dropout</c>; it has no token
/// types, and its LayerNorms use eps 1e-12 (fixed in HuggingFace's code, not in the config).
/// </summary>
public sealed class DistilBertConfig : MaskedLmConfig
{
    public DistilBertConfig(
        int vocabSize = 30522,
        int dim = 768,
        int nLayers = 6,
        int nHeads = 12,
        int hiddenDim = 3072,
        BertActivation activation = BertActivation.Gelu,
        double dropout = 0.1,
        double attentionDropout = 0.1,
        int maxPositionEmbeddings = 512,
        int padTokenId = 0,
        double initializerRange = 0.02,
        double seqClassifDropout = 0.2)
        : this(new JsonObject(), "config")
    {
        VocabSize = vocabSize;
        HiddenSize = dim;
        NumHiddenLayers = nLayers;
        NumAttentionHeads = nHeads;
        IntermediateSize = hiddenDim;
        HiddenAct = activation;
        HiddenDropoutProb = dropout;
        AttentionProbsDropoutProb = attentionDropout;
        MaxPositionEmbeddings = maxPositionEmbeddings;
        PadTokenId = padTokenId;
        InitializerRange = initializerRange;
        SeqClassifDropout = seqClassifDropout;
        Validate("config");
    }

    private DistilBertConfig(JsonObject raw, string source) : base(raw, source)
    {
        LayerNormEps = 1e-12;
    }

    public override string ModelType => "distilbert";

    /// <summary>Dropout before a sequence classifier's last layer (<c>seq_classif_dropout</c>, HuggingFace's default 0.2).</summary>
    public double SeqClassifDropout { get; private init; } = 0.2;

    /// <summary>The number of parameters of <c>DistilBertForMaskedLM</c> (the projector's weight is tied to the word embeddings).</summary>
    public override long ParameterCount => SharedParameterCount;

    /// <summary>Builds the config from config.json's members, each type- and range-checked; missing ones take distilbert-base defaults.</summary>
    internal static DistilBertConfig Parse(HfConfigReader reader)
    {
        var source = reader.Source;
        // Sinusoidal position embeddings are a fixed table HF may not store; no SPLADE checkpoint uses them.
        if (reader.Raw["sinusoidal_pos_embds"] is { } sinusoidal && sinusoidal.GetValueKind() != System.Text.Json.JsonValueKind.False)
            throw reader.Error($"sinusoidal_pos_embds {sinusoidal.ToJsonString()} is not supported (only false: learned position embeddings)");
        var config = new DistilBertConfig(reader.Raw, source)
        {
            VocabSize = reader.WholeNumber("vocab_size", 30522, 1, ModelLimits.MaxVocabSize),
            HiddenSize = reader.WholeNumber("dim", 768, 1, ModelLimits.MaxHiddenSize),
            NumHiddenLayers = reader.WholeNumber("n_layers", 6, 1, ModelLimits.MaxLayers),
            NumAttentionHeads = reader.WholeNumber("n_heads", 12, 1, ModelLimits.MaxAttentionHeads),
            IntermediateSize = reader.WholeNumber("hidden_dim", 3072, 1, ModelLimits.MaxIntermediateSize),
            HiddenAct = ParseActivation("activation", reader.Text("activation", "gelu"), source),
            HiddenDropoutProb = reader.Number("dropout", 0.1, 0, 1),
            AttentionProbsDropoutProb = reader.Number("attention_dropout", 0.1, 0, 1),
            MaxPositionEmbeddings = reader.WholeNumber("max_position_embeddings", 512, 1, ModelLimits.MaxPositions),
            PadTokenId = reader.WholeNumber("pad_token_id", 0, 0, ModelLimits.MaxVocabSize),
            InitializerRange = reader.Number("initializer_range", 0.02, 0, 1),
            SeqClassifDropout = reader.Number("seq_classif_dropout", 0.2, 0, 0.999999),
        };
        config.Validate(source);
        return config;
    }

    private protected override IEnumerable<string> DropoutMembers => ["dropout", "attention_dropout"];

    private protected override void WriteMembers(JsonObject o)
    {
        o["vocab_size"] = VocabSize;
        o["dim"] = HiddenSize;
        o["n_layers"] = NumHiddenLayers;
        o["n_heads"] = NumAttentionHeads;
        o["hidden_dim"] = IntermediateSize;
        o["activation"] = ActivationName(HiddenAct, Raw["activation"]?.GetValue<string>());
        o["dropout"] = HiddenDropoutProb;
        o["attention_dropout"] = AttentionProbsDropoutProb;
        o["max_position_embeddings"] = MaxPositionEmbeddings;
        o["initializer_range"] = InitializerRange;
        o["pad_token_id"] = PadTokenId;
        o["seq_classif_dropout"] = SeqClassifDropout;
        o["sinusoidal_pos_embds"] = false;
        o["tie_weights_"] = true;
    }

    private protected override string NameOf(string property) => property switch
    {
        nameof(HiddenSize) => "dim",
        nameof(NumHiddenLayers) => "n_layers",
        nameof(NumAttentionHeads) => "n_heads",
        nameof(IntermediateSize) => "hidden_dim",
        _ => property,
    };
}
