using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// Embeddings and encoder, and the pooler when the head uses it (BertForSequenceClassification
/// does; BertForMaskedLM does not, and its checkpoints' pooler weights are ignored).
/// </summary>
internal sealed class BertModel : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "embeddings")]
    private readonly BertEmbeddings _embeddings;

    [ComponentName(Name = "encoder")]
    private readonly BertEncoder _encoder;

    /// <summary>Null without a pooler (a null field is not registered, so no <c>pooler.*</c> parameters exist).</summary>
    [ComponentName(Name = "pooler")]
    private readonly BertPooler? _pooler;

    public BertModel(BertConfig config, bool withPooler = false) : base("bert")
    {
        _embeddings = new BertEmbeddings(config);
        _encoder = new BertEncoder(config);
        _pooler = withPooler ? new BertPooler(config.HiddenSize) : null;
        RegisterComponents();
    }

    public Parameter WordEmbeddings => _embeddings.WordEmbeddings;

    /// <returns>The last hidden states [B, T, H].</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask) => Forward(inputIds, attentionMask, null);

    /// <summary>The last hidden states [B, T, H] of a batch with token types (null: all 0).</summary>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        // HuggingFace's extended mask: 0 where attended, the dtype's minimum where padded.
        // Built in the weights' dtype so a model cast to bfloat16 runs attention in one dtype.
        var dtype = WordEmbeddings.dtype;
        var minimum = dtype == ScalarType.BFloat16 ? -3.38e38f : dtype == ScalarType.Float16 ? -65504f : float.MinValue;
        var additive = (1.0f - attentionMask.to_type(dtype)).mul(minimum).view(attentionMask.shape[0], 1, 1, attentionMask.shape[1]);
        var embedded = _embeddings.Embed(inputIds, tokenTypeIds);
        return _encoder.call(embedded, additive).MoveToOuterDisposeScope();
    }

    /// <summary>The pooler's output [B, H] for hidden states [B, T, H]: tanh(dense(h_[CLS])).</summary>
    public Tensor Pool(Tensor hidden) =>
        (_pooler ?? throw new InvalidOperationException("this BertModel was built without a pooler")).call(hidden);
}
