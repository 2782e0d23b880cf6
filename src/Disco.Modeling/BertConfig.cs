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

    /// <summary>Dropout before a classification head (<c>classifier_dropout</c>); null: <see cref="MaskedLmConfig.HiddenDropoutProb"/>, as HuggingFace.</summary>
    public double? ClassifierDropout { get; private init; }

    /// <summary>Reads <c>config.json</c> from a model directory; it must describe a BERT model.</summary>
    public static new BertConfig FromDirectory(string modelDir) => FromFile(ConfigPath(modelDir));

    /// <summary>Reads a config file as untrusted input (<see cref="HfConfigReader"/>); it must describe a BERT model.</summary>
    public static new BertConfig FromFile(string path) => Bert(MaskedLmConfig.FromFile(path));

    public static new BertConfig FromJson(string json, string source) => Bert(MaskedLmConfig.FromJson(json, source));

    private static BertConfig Bert(MaskedLmConfig config) =>
        config as BertConfig ?? throw new DiscoException($"{config.Source}: not a BERT config (model_type is \"{config.ModelType}\", expected \"bert\")");

    /// <summary>
    /// The number of parameters of <c>BertForMaskedLM</c> with this config (the decoder is tied to
    /// the word embeddings), to check the memory a config asks for before building it.
    /// </summary>
    public override long ParameterCount => SharedParameterCount + (long)TypeVocabSize * HiddenSize;

    /// <summary>Builds the config from config.json's members, each type- and range-checked; missing ones take BERT-base defaults, as in HuggingFace.</summary>
    internal static BertConfig Parse(HfConfigReader reader)
    {
        var raw = reader.Raw;
        var source = reader.Source;
        var positionType = reader.Text("position_embedding_type", "absolute");
        if (positionType != "absolute")
            throw new DiscoException($"{source}: position_embedding_type \"{positionType}\" is not supported (only \"absolute\")");
        var config = new BertConfig(raw, source)
        {
            VocabSize = reader.WholeNumber("vocab_size", 30522, 1, ModelLimits.MaxVocabSize),
            HiddenSize = reader.WholeNumber("hidden_size", 768, 1, ModelLimits.MaxHiddenSize),
            NumHiddenLayers = reader.WholeNumber("num_hidden_layers", 12, 1, ModelLimits.MaxLayers),
            NumAttentionHeads = reader.WholeNumber("num_attention_heads", 12, 1, ModelLimits.MaxAttentionHeads),
            IntermediateSize = reader.WholeNumber("intermediate_size", 3072, 1, ModelLimits.MaxIntermediateSize),
            HiddenAct = ParseActivation("hidden_act", reader.Text("hidden_act", "gelu"), source),
            HiddenDropoutProb = reader.Number("hidden_dropout_prob", 0.1, 0, 1),
            AttentionProbsDropoutProb = reader.Number("attention_probs_dropout_prob", 0.1, 0, 1),
            MaxPositionEmbeddings = reader.WholeNumber("max_position_embeddings", 512, 1, ModelLimits.MaxPositions),
            TypeVocabSize = reader.WholeNumber("type_vocab_size", 2, 1, ModelLimits.MaxTypeVocabSize),
            // eps <= 0 divides by zero in LayerNorm for constant rows (NaN vectors) and a negative
            // eps can make the variance term negative; HF's values are 1e-12 .. 1e-5.
            LayerNormEps = reader.Number("layer_norm_eps", 1e-12, 0, 1, minExclusive: true),
            PadTokenId = reader.WholeNumber("pad_token_id", 0, 0, ModelLimits.MaxVocabSize),
            InitializerRange = reader.Number("initializer_range", 0.02, 0, 1),
            ClassifierDropout = raw["classifier_dropout"] is null ? null : reader.Number("classifier_dropout", 0.1, 0, 0.999999),
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
