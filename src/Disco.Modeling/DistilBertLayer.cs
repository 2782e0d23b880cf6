using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// HuggingFace's DistilBERT <c>TransformerBlock</c>: post-LN self-attention
/// (<c>attention.{q,k,v,out}_lin</c>, <c>sa_layer_norm</c>), then the feed-forward block
/// (<c>ffn.lin1</c> → activation → <c>ffn.lin2</c> → dropout, <c>output_layer_norm</c>).
/// </summary>
internal sealed class DistilBertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "attention")]
    private readonly DistilBertSelfAttention _attention;

    [ComponentName(Name = "sa_layer_norm")]
    private readonly LayerNorm _saLayerNorm;

    [ComponentName(Name = "ffn")]
    private readonly DistilBertFeedForward _ffn;

    [ComponentName(Name = "output_layer_norm")]
    private readonly LayerNorm _outputLayerNorm;

    public DistilBertLayer(DistilBertConfig config) : base("layer")
    {
        _attention = new DistilBertSelfAttention(config);
        _saLayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _ffn = new DistilBertFeedForward(config);
        _outputLayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var attended = _saLayerNorm.call(_attention.call(hidden, additiveMask) + hidden);
        return _outputLayerNorm.call(_ffn.call(attended) + attended).MoveToOuterDisposeScope();
    }
}
