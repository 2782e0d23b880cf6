using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>Embeddings and encoder, without the pooler (BertForMaskedLM does not use it).</summary>
internal sealed class BertModel : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "embeddings")]
    private readonly BertEmbeddings _embeddings;

    [ComponentName(Name = "encoder")]
    private readonly BertEncoder _encoder;

    public BertModel(BertConfig config) : base("bert")
    {
        _embeddings = new BertEmbeddings(config);
        _encoder = new BertEncoder(config);
        RegisterComponents();
    }

    public Parameter WordEmbeddings => _embeddings.WordEmbeddings;

    /// <returns>The last hidden states [B, T, H].</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        // HuggingFace's extended mask: 0 where attended, the dtype's minimum where padded.
        // Built in the weights' dtype so a model cast to bfloat16 runs attention in one dtype.
        var dtype = WordEmbeddings.dtype;
        var minimum = dtype == ScalarType.BFloat16 ? -3.38e38f : dtype == ScalarType.Float16 ? -65504f : float.MinValue;
        var additive = (1.0f - attentionMask.to_type(dtype)).mul(minimum).view(attentionMask.shape[0], 1, 1, attentionMask.shape[1]);
        var embedded = _embeddings.call(inputIds);
        return _encoder.call(embedded, additive).MoveToOuterDisposeScope();
    }
}
