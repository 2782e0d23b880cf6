using System.Text.Json;
using System.Text.Json.Nodes;
using Disco.Core;

namespace Disco.Modeling;

/// <summary>
/// The architecture of a masked-language model, read from a HuggingFace <c>config.json</c>. Each
/// <c>model_type</c> has its own subclass (<see cref="BertConfig"/>, <see cref="DistilBertConfig"/>)
/// that maps its member names onto these common properties; <see cref="FromJson"/> dispatches on
/// <c>model_type</c> through <see cref="MaskedLmArchitectures"/>. Unknown members are kept and
/// written back by <see cref="ToJson"/>, so a saved checkpoint keeps whatever the original carried.
/// </summary>
public abstract class MaskedLmConfig
{
    private protected MaskedLmConfig(JsonObject raw, string source)
    {
        Raw = raw;
        Source = source;
    }

    /// <summary>Where the config came from (a path), for error messages.</summary>
    public string Source { get; }

    /// <summary>The <c>model_type</c> of config.json (<c>bert</c>, <c>distilbert</c>).</summary>
    public abstract string ModelType { get; }

    public int VocabSize { get; private protected init; }

    public int HiddenSize { get; private protected init; }

    public int NumHiddenLayers { get; private protected init; }

    public int NumAttentionHeads { get; private protected init; }

    public int IntermediateSize { get; private protected init; }

    public BertActivation HiddenAct { get; private protected init; }

    public double HiddenDropoutProb { get; private protected init; }

    public double AttentionProbsDropoutProb { get; private protected init; }

    public int MaxPositionEmbeddings { get; private protected init; }

    public double LayerNormEps { get; private protected init; }

    public int PadTokenId { get; private protected init; }

    public double InitializerRange { get; private protected init; }

    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>The original JSON members (kept on save).</summary>
    private protected JsonObject Raw { get; }

    /// <summary>Reads <c>config.json</c> from a model directory.</summary>
    public static MaskedLmConfig FromDirectory(string modelDir) => FromFile(ConfigPath(modelDir));

    /// <summary>Reads a config file as untrusted input (<see cref="HfConfigReader"/>): types, ranges and the memory the model needs are checked.</summary>
    public static MaskedLmConfig FromFile(string path) => FromReader(HfConfigReader.FromFile(path));

    /// <summary>Parses a config of any supported <c>model_type</c> (missing: <c>bert</c>, as HuggingFace's BERT configs).</summary>
    public static MaskedLmConfig FromJson(string json, string source) => FromReader(HfConfigReader.Parse(json, source));

    /// <summary>
    /// Dispatches on <c>model_type</c> to the architecture, which reads its own members. A config
    /// without <c>model_type</c> is named by its <c>architectures</c> class (as HuggingFace's auto
    /// classes fall back to the class name), else read as BERT.
    /// </summary>
    public static MaskedLmConfig FromReader(HfConfigReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var modelType = reader.Raw["model_type"] is null ? ModelTypeOfArchitectures(reader.Raw["architectures"]) : reader.Text("model_type", "bert");
        return MaskedLmArchitectures.ForModelType(modelType, reader.Source).ParseConfig(reader);
    }

    private static string ModelTypeOfArchitectures(JsonNode? architectures)
    {
        var names = (architectures as JsonArray)?.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()) ?? [];
        var family = MaskedLmArchitectures.All.FirstOrDefault(a => names.Contains(a.ClassName) || names.Contains(a.SequenceClassifierClassName));
        return family?.ModelType ?? "bert";
    }

    /// <summary>
    /// The number of parameters of the model this config builds (the decoder is tied to the word
    /// embeddings), to check the memory a config asks for before building it.
    /// </summary>
    public abstract long ParameterCount { get; }

    /// <summary>Parameters of the embeddings without token types, the blocks and the MLM head, which every architecture here shares.</summary>
    private protected long SharedParameterCount
    {
        get
        {
            long h = HiddenSize, i = IntermediateSize;
            var embeddings = ((long)VocabSize + MaxPositionEmbeddings) * h + 2 * h;
            var layer = 4 * (h * h + h) + 2 * h + (h * i + i) + (i * h + h) + 2 * h;
            var head = h * h + h + 2 * h + VocabSize;
            return embeddings + NumHiddenLayers * layer + head;
        }
    }

    /// <summary>The config as HuggingFace writes it, with any extra members of the original kept.</summary>
    public string ToJson()
    {
        var o = (JsonObject)Raw.DeepClone();
        o["architectures"] ??= new JsonArray(MaskedLmArchitectures.ForModelType(ModelType, Source).ClassName);
        o["model_type"] = ModelType;
        WriteMembers(o);
        o["torch_dtype"] = "float32";
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The same architecture with both dropout probabilities set to <paramref name="probability"/>.</summary>
    public MaskedLmConfig WithDropout(double probability)
    {
        var o = JsonNode.Parse(ToJson())!.AsObject();
        foreach (var name in DropoutMembers)
            o[name] = probability;
        return FromJson(o.ToJsonString(), Source);
    }

    /// <summary>The config.json members that hold the hidden and attention dropout.</summary>
    private protected abstract IEnumerable<string> DropoutMembers { get; }

    /// <summary>Writes the architecture's own members (in its own names) into <paramref name="o"/>.</summary>
    private protected abstract void WriteMembers(JsonObject o);

    private protected static string ConfigPath(string modelDir)
    {
        var path = Path.Combine(modelDir, "config.json");
        if (!File.Exists(path))
        {
            throw new DiscoException(Directory.Exists(modelDir)
                ? $"{path}: config.json not found; a HuggingFace model directory needs config.json next to its weights"
                : $"{modelDir}: model directory not found");
        }
        return path;
    }

    private protected static string ActivationName(BertActivation act, string? original) => act switch
    {
        BertActivation.Gelu => "gelu",
        BertActivation.GeluTanh => original is "gelu_new" or "gelu_pytorch_tanh" ? original : "gelu_new",
        _ => "relu",
    };

    private protected static BertActivation ParseActivation(string member, string name, string source) => name switch
    {
        "gelu" => BertActivation.Gelu,
        "gelu_new" or "gelu_pytorch_tanh" => BertActivation.GeluTanh,
        "relu" => BertActivation.Relu,
        _ => throw new DiscoException($"{source}: {member} \"{name}\" is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, relu)"),
    };

    /// <summary>Checks the sizes every architecture shares; subclasses add their own.</summary>
    private protected virtual void Validate(string source)
    {
        Positive(source, "vocab_size", VocabSize);
        Positive(source, NameOf(nameof(HiddenSize)), HiddenSize);
        Positive(source, NameOf(nameof(NumHiddenLayers)), NumHiddenLayers);
        Positive(source, NameOf(nameof(NumAttentionHeads)), NumAttentionHeads);
        Positive(source, NameOf(nameof(IntermediateSize)), IntermediateSize);
        Positive(source, "max_position_embeddings", MaxPositionEmbeddings);
        if (HiddenSize % NumAttentionHeads != 0)
            throw new DiscoException($"{source}: {NameOf(nameof(HiddenSize))} {HiddenSize} is not a multiple of {NameOf(nameof(NumAttentionHeads))} {NumAttentionHeads}");
        if (HiddenDropoutProb is < 0 or >= 1 || AttentionProbsDropoutProb is < 0 or >= 1)
            throw new DiscoException($"{source}: dropout probabilities must be in [0, 1)");
        if (!(LayerNormEps > 0) || !double.IsFinite(LayerNormEps))
            throw new DiscoException($"{source}: layer_norm_eps must be positive, got {LayerNormEps}");
        if (PadTokenId < 0 || PadTokenId >= VocabSize)
            throw new DiscoException($"{source}: pad_token_id {PadTokenId} is not a token of the {VocabSize}-token vocabulary");
        ModelLimits.CheckParameterMemory(ParameterCount, source);
    }

    /// <summary>The config.json member name of a common property, for error messages.</summary>
    private protected abstract string NameOf(string property);

    private protected static void Positive(string source, string name, int value)
    {
        if (value <= 0)
            throw new DiscoException($"{source}: {name} must be positive, got {value}");
    }
}
