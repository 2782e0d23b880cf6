using System.Text.Json.Nodes;
using Disco.Core;

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
        double initializerRange = 0.02)
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
        Validate("config");
    }

    private DistilBertConfig(JsonObject raw, string source) : base(raw, source)
    {
        LayerNormEps = 1e-12;
    }

    public override string ModelType => "distilbert";

    /// <summary>Builds the config from config.json's members; missing ones take distilbert-base defaults.</summary>
    internal static DistilBertConfig Parse(JsonObject raw, string source)
    {
        // Sinusoidal position embeddings are a fixed table HF may not store; no SPLADE checkpoint uses them.
        if (Member(raw, "sinusoidal_pos_embds", source, false, "true or false"))
            throw new DiscoException($"{source}: sinusoidal_pos_embds true is not supported (only learned position embeddings)");
        var config = new DistilBertConfig(raw, source)
        {
            VocabSize = Int(raw, "vocab_size", source, 30522),
            HiddenSize = Int(raw, "dim", source, 768),
            NumHiddenLayers = Int(raw, "n_layers", source, 6),
            NumAttentionHeads = Int(raw, "n_heads", source, 12),
            IntermediateSize = Int(raw, "hidden_dim", source, 3072),
            HiddenAct = ParseActivation("activation", Member(raw, "activation", source, "gelu", "a string"), source),
            HiddenDropoutProb = Double(raw, "dropout", source, 0.1),
            AttentionProbsDropoutProb = Double(raw, "attention_dropout", source, 0.1),
            MaxPositionEmbeddings = Int(raw, "max_position_embeddings", source, 512),
            PadTokenId = Int(raw, "pad_token_id", source, 0),
            InitializerRange = Double(raw, "initializer_range", source, 0.02),
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
