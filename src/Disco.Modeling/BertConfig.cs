using System.Text.Json;
using System.Text.Json.Nodes;
using Disco.Core;

namespace Disco.Modeling;

/// <summary>
/// The architecture of a BERT masked-language model, read from a HuggingFace <c>config.json</c>.
/// Unknown members are kept and written back by <see cref="ToJson"/>, so a saved checkpoint keeps
/// whatever the original config carried (architectures, initializer_range, ...).
/// </summary>
public sealed class BertConfig
{
    /// <summary>The <c>model_type</c> values this library can build.</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["bert"];

    private readonly JsonObject _raw;

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

    private BertConfig(JsonObject raw, string source)
    {
        _raw = raw;
        Source = source;
    }

    /// <summary>Where the config came from (a path), for error messages.</summary>
    public string Source { get; }

    public string ModelType { get; private init; } = "bert";

    public int VocabSize { get; private init; }

    public int HiddenSize { get; private init; }

    public int NumHiddenLayers { get; private init; }

    public int NumAttentionHeads { get; private init; }

    public int IntermediateSize { get; private init; }

    public BertActivation HiddenAct { get; private init; }

    public double HiddenDropoutProb { get; private init; }

    public double AttentionProbsDropoutProb { get; private init; }

    public int MaxPositionEmbeddings { get; private init; }

    public int TypeVocabSize { get; private init; }

    public double LayerNormEps { get; private init; }

    public int PadTokenId { get; private init; }

    public double InitializerRange { get; private init; }

    /// <summary>Dropout before a classification head (<c>classifier_dropout</c>); null: <see cref="HiddenDropoutProb"/>, as HuggingFace.</summary>
    public double? ClassifierDropout { get; private init; }

    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>Reads <c>config.json</c> from a model directory.</summary>
    public static BertConfig FromDirectory(string modelDir)
    {
        var path = Path.Combine(modelDir, "config.json");
        if (!File.Exists(path))
        {
            throw new DiscoException(Directory.Exists(modelDir)
                ? $"{path}: config.json not found; a HuggingFace model directory needs config.json next to its weights"
                : $"{modelDir}: model directory not found");
        }
        return FromFile(path);
    }

    /// <summary>Reads a config file as untrusted input (<see cref="HfConfigReader"/>): types, ranges and the memory the model needs are checked.</summary>
    public static BertConfig FromFile(string path) => FromReader(HfConfigReader.FromFile(path));

    public static BertConfig FromJson(string json, string source) => FromReader(HfConfigReader.Parse(json, source));

    private static BertConfig FromReader(HfConfigReader reader)
    {
        var raw = reader.Raw;
        var source = reader.Source;
        var modelType = reader.Text("model_type", "bert");
        // A model_type switch: each supported family gets its own module; DistilBERT is the next one.
        switch (modelType)
        {
            case "bert":
                break;
            default:
                throw new DiscoException($"{source}: model_type \"{modelType}\" is not supported (supported: {string.Join(", ", SupportedModelTypes)})");
        }
        var positionType = reader.Text("position_embedding_type", "absolute");
        if (positionType != "absolute")
            throw new DiscoException($"{source}: position_embedding_type \"{positionType}\" is not supported (only \"absolute\")");
        var config = new BertConfig(raw, source)
        {
            ModelType = modelType,
            VocabSize = reader.WholeNumber("vocab_size", 30522, 1, ModelLimits.MaxVocabSize),
            HiddenSize = reader.WholeNumber("hidden_size", 768, 1, ModelLimits.MaxHiddenSize),
            NumHiddenLayers = reader.WholeNumber("num_hidden_layers", 12, 1, ModelLimits.MaxLayers),
            NumAttentionHeads = reader.WholeNumber("num_attention_heads", 12, 1, ModelLimits.MaxAttentionHeads),
            IntermediateSize = reader.WholeNumber("intermediate_size", 3072, 1, ModelLimits.MaxIntermediateSize),
            HiddenAct = ParseActivation(reader.Text("hidden_act", "gelu"), source),
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

    /// <summary>
    /// The number of parameters of <c>BertForMaskedLM</c> with this config (the decoder is tied to
    /// the word embeddings), to check the memory a config asks for before building it.
    /// </summary>
    public long ParameterCount
    {
        get
        {
            long h = HiddenSize, i = IntermediateSize;
            var embeddings = ((long)VocabSize + MaxPositionEmbeddings + TypeVocabSize) * h + 2 * h;
            var layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
            var head = h * h + h + 2 * h + VocabSize;
            return embeddings + NumHiddenLayers * layer + head;
        }
    }

    /// <summary>The config as HuggingFace writes it, with any extra members of the original kept.</summary>
    public string ToJson()
    {
        var o = (JsonObject)_raw.DeepClone();
        o["architectures"] ??= new JsonArray("BertForMaskedLM");
        o["model_type"] = ModelType;
        o["vocab_size"] = VocabSize;
        o["hidden_size"] = HiddenSize;
        o["num_hidden_layers"] = NumHiddenLayers;
        o["num_attention_heads"] = NumAttentionHeads;
        o["intermediate_size"] = IntermediateSize;
        o["hidden_act"] = ActivationName(HiddenAct, _raw["hidden_act"]?.GetValue<string>());
        o["hidden_dropout_prob"] = HiddenDropoutProb;
        o["attention_probs_dropout_prob"] = AttentionProbsDropoutProb;
        o["max_position_embeddings"] = MaxPositionEmbeddings;
        o["type_vocab_size"] = TypeVocabSize;
        o["initializer_range"] = InitializerRange;
        o["layer_norm_eps"] = LayerNormEps;
        o["pad_token_id"] = PadTokenId;
        o["position_embedding_type"] = "absolute";
        o["torch_dtype"] = "float32";
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string ActivationName(BertActivation act, string? original) => act switch
    {
        BertActivation.Gelu => "gelu",
        BertActivation.GeluTanh => original is "gelu_new" or "gelu_pytorch_tanh" ? original : "gelu_new",
        _ => "relu",
    };

    private static BertActivation ParseActivation(string name, string source) => name switch
    {
        "gelu" => BertActivation.Gelu,
        "gelu_new" or "gelu_pytorch_tanh" => BertActivation.GeluTanh,
        "relu" => BertActivation.Relu,
        _ => throw new DiscoException($"{source}: hidden_act \"{name}\" is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, relu)"),
    };

    private void Validate(string source)
    {
        void Positive(string name, int value)
        {
            if (value <= 0)
                throw new DiscoException($"{source}: {name} must be positive, got {value}");
        }
        Positive("vocab_size", VocabSize);
        Positive("hidden_size", HiddenSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("intermediate_size", IntermediateSize);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        Positive("type_vocab_size", TypeVocabSize);
        if (HiddenSize % NumAttentionHeads != 0)
            throw new DiscoException($"{source}: hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        if (HiddenDropoutProb is < 0 or >= 1 || AttentionProbsDropoutProb is < 0 or >= 1)
            throw new DiscoException($"{source}: dropout probabilities must be in [0, 1)");
        if (!(LayerNormEps > 0) || !double.IsFinite(LayerNormEps))
            throw new DiscoException($"{source}: layer_norm_eps must be positive, got {LayerNormEps}");
        if (PadTokenId < 0 || PadTokenId >= VocabSize)
            throw new DiscoException($"{source}: pad_token_id {PadTokenId} is not a token of the {VocabSize}-token vocabulary");
        ModelLimits.CheckParameterMemory(ParameterCount, source);
    }
}
