using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>DistilBERT's <c>MultiHeadSelfAttention</c>: q/k/v projections, attention, <c>out_lin</c> (no dropout after it).</summary>
internal sealed class DistilBertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "q_lin")]
    private readonly Linear _query;

    [ComponentName(Name = "k_lin")]
    private readonly Linear _key;

    [ComponentName(Name = "v_lin")]
    private readonly Linear _value;

    [ComponentName(Name = "out_lin")]
    private readonly Linear _output;

    private readonly int _heads;
    private readonly double _dropout;

    public DistilBertSelfAttention(DistilBertConfig config) : base("attention")
    {
        _query = nn.Linear(config.HiddenSize, config.HiddenSize);
        _key = nn.Linear(config.HiddenSize, config.HiddenSize);
        _value = nn.Linear(config.HiddenSize, config.HiddenSize);
        _output = nn.Linear(config.HiddenSize, config.HiddenSize);
        _heads = config.NumAttentionHeads;
        _dropout = config.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var context = MultiHeadAttention.Attend(hidden, _query, _key, _value, additiveMask, _heads, training ? _dropout : 0.0);
        return _output.call(context);
    }
}
