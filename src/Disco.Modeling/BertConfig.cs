using System.Text.Json.Nodes;
using Disco.Core;

namespace Disco.Modeling;

/// <summary>
/// The architecture of a BERT masked-language model (<c>model_type: bert</c>), read from a
/// HuggingFace <c>config.json</c>.
/// </summary>
public sealed class BertConfig : MaskedLmConfig
{
    public BertConfig(
        int vocabSize = 30522,
        int hiddenSize = 768,
        int numHiddenLayers = 12,
        int numAttentionHeads = 12,
        int intermediateSize = 3072,
        BertActivation hiddenAct = BertActivation.Gelu,
        double hiddenDropoutProb = 0.1,
        double attentionProbsDropoutProb = 0.1,
        int maxPositionEmbeddings = 512,
        int typeVocabSize = 2,
        double layerNormEps = 1e-12,
        int padTokenId = 0,
        double initializerRange = 0.02)
        : this(new JsonObject(), "config")
    {
        VocabSize = vocabSize;
        HiddenSize = hiddenSize;
        NumHiddenLayers = numHiddenLayers;
        NumAttentionHeads = numAttentionHeads;
        IntermediateSize = intermediateSize;
        HiddenAct = hiddenAct;
        HiddenDropoutProb = hiddenDropoutProb;
        AttentionProbsDropoutProb = attentionProbsDropoutProb;
        MaxPositionEmbeddings = maxPositionEmbeddings;
        TypeVocabSize = typeVocabSize;
        LayerNormEps = layerNormEps;
        PadTokenId = padTokenId;
        InitializerRange = initializerRange;
        Validate("config");
    }

    private BertConfig(JsonObject raw, string source) : base(raw, source)
    {
    }

    public override string ModelType => "bert";

    public int TypeVocabSize { get; private init; }

    /// <summary>Reads <c>config.json</c> from a model directory; it must describe a BERT model.</summary>
    public static new BertConfig FromDirectory(string modelDir) => FromFile(ConfigPath(modelDir));

    public static new BertConfig FromFile(string path) => FromJson(File.ReadAllText(path), path);

    public static new BertConfig FromJson(string json, string source) =>
        MaskedLmConfig.FromJson(json, source) as BertConfig
        ?? throw new DiscoException($"{source}: not a BERT config (model_type must be \"bert\")");

    /// <summary>Builds the config from config.json's members; missing ones take BERT-base defaults, as in HuggingFace.</summary>
    internal static BertConfig Parse(JsonObject raw, string source)
    {
        var positionType = Member(raw, "position_embedding_type", source, "absolute", "a string");
        if (positionType != "absolute")
            throw new DiscoException($"{source}: position_embedding_type \"{positionType}\" is not supported (only \"absolute\")");
        var config = new BertConfig(raw, source)
        {
            VocabSize = Int(raw, "vocab_size", source, 30522),
            HiddenSize = Int(raw, "hidden_size", source, 768),
            NumHiddenLayers = Int(raw, "num_hidden_layers", source, 12),
            NumAttentionHeads = Int(raw, "num_attention_heads", source, 12),
            IntermediateSize = Int(raw, "intermediate_size", source, 3072),
            HiddenAct = ParseActivation("hidden_act", Member(raw, "hidden_act", source, "gelu", "a string"), source),
            HiddenDropoutProb = Double(raw, "hidden_dropout_prob", source, 0.1),
            AttentionProbsDropoutProb = Double(raw, "attention_probs_dropout_prob", source, 0.1),
            MaxPositionEmbeddings = Int(raw, "max_position_embeddings", source, 512),
            TypeVocabSize = Int(raw, "type_vocab_size", source, 2),
            LayerNormEps = Double(raw, "layer_norm_eps", source, 1e-12),
            PadTokenId = Int(raw, "pad_token_id", source, 0),
            InitializerRange = Double(raw, "initializer_range", source, 0.02),
        };
        config.Validate(source);
        return config;
    }

    private protected override IEnumerable<string> DropoutMembers => ["hidden_dropout_prob", "attention_probs_dropout_prob"];

    private protected override void WriteMembers(JsonObject o)
    {
        o["vocab_size"] = VocabSize;
        o["hidden_size"] = HiddenSize;
        o["num_hidden_layers"] = NumHiddenLayers;
        o["num_attention_heads"] = NumAttentionHeads;
        o["intermediate_size"] = IntermediateSize;
        o["hidden_act"] = ActivationName(HiddenAct, Raw["hidden_act"]?.GetValue<string>());
        o["hidden_dropout_prob"] = HiddenDropoutProb;
        o["attention_probs_dropout_prob"] = AttentionProbsDropoutProb;
        o["max_position_embeddings"] = MaxPositionEmbeddings;
        o["type_vocab_size"] = TypeVocabSize;
        o["initializer_range"] = InitializerRange;
        o["layer_norm_eps"] = LayerNormEps;
        o["pad_token_id"] = PadTokenId;
        o["position_embedding_type"] = "absolute";
    }

    private protected override void Validate(string source)
    {
        base.Validate(source);
        Positive(source, "type_vocab_size", TypeVocabSize);
    }

    private protected override string NameOf(string property) => property switch
    {
        nameof(HiddenSize) => "hidden_size",
        nameof(NumHiddenLayers) => "num_hidden_layers",
        nameof(NumAttentionHeads) => "num_attention_heads",
        nameof(IntermediateSize) => "intermediate_size",
        _ => property,
    };
}
