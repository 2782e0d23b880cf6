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

    public static BertConfig FromFile(string path) => FromJson(File.ReadAllText(path), path);

    public static BertConfig FromJson(string json, string source)
    {
        JsonObject raw;
        try
        {
            raw = JsonNode.Parse(json) as JsonObject ?? throw new DiscoException($"{source}: config must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new DiscoException($"{source}: invalid JSON: {e.Message}");
        }
        var modelType = raw["model_type"]?.GetValue<string>() ?? "bert";
        // A model_type switch: each supported family gets its own module; DistilBERT is the next one.
        switch (modelType)
        {
            case "bert":
                break;
            default:
                throw new DiscoException($"{source}: model_type \"{modelType}\" is not supported (supported: {string.Join(", ", SupportedModelTypes)})");
        }
        var positionType = raw["position_embedding_type"]?.GetValue<string>() ?? "absolute";
        if (positionType != "absolute")
            throw new DiscoException($"{source}: position_embedding_type \"{positionType}\" is not supported (only \"absolute\")");
        var config = new BertConfig(raw, source)
        {
            ModelType = modelType,
            VocabSize = Int(raw, "vocab_size", source, 30522),
            HiddenSize = Int(raw, "hidden_size", source, 768),
            NumHiddenLayers = Int(raw, "num_hidden_layers", source, 12),
            NumAttentionHeads = Int(raw, "num_attention_heads", source, 12),
            IntermediateSize = Int(raw, "intermediate_size", source, 3072),
            HiddenAct = ParseActivation(raw["hidden_act"]?.GetValue<string>() ?? "gelu", source),
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
    }

    private static int Int(JsonObject o, string name, string source, int fallback)
    {
        var node = o[name];
        if (node is null)
            return fallback;
        try
        {
            return node.GetValue<int>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new DiscoException($"{source}: \"{name}\" must be an integer, got {node.ToJsonString()}");
        }
    }

    private static double Double(JsonObject o, string name, string source, double fallback)
    {
        var node = o[name];
        if (node is null)
            return fallback;
        try
        {
            return node.GetValue<double>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new DiscoException($"{source}: \"{name}\" must be a number, got {node.ToJsonString()}");
        }
    }
}
