using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>Multi-head scaled dot-product self-attention with an additive padding mask.</summary>
internal sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "query")]
    private readonly Linear _query;

    [ComponentName(Name = "key")]
    private readonly Linear _key;

    [ComponentName(Name = "value")]
    private readonly Linear _value;

    private readonly int _heads;
    private readonly double _dropout;

    public BertSelfAttention(BertConfig config) : base("self")
    {
        _query = nn.Linear(config.HiddenSize, config.HiddenSize);
        _key = nn.Linear(config.HiddenSize, config.HiddenSize);
        _value = nn.Linear(config.HiddenSize, config.HiddenSize);
        _heads = config.NumAttentionHeads;
        _dropout = config.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    /// <param name="hidden">[B, T, H].</param>
    /// <param name="additiveMask">[B, 1, 1, T]: 0 for tokens, a large negative number for padding.</param>
    public override Tensor forward(Tensor hidden, Tensor additiveMask) =>
        MultiHeadAttention.Attend(hidden, _query, _key, _value, additiveMask, _heads, training ? _dropout : 0.0);
}
