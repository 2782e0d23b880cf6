using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>Self-attention followed by its residual output block.</summary>
internal sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "self")]
    private readonly BertSelfAttention _self;

    [ComponentName(Name = "output")]
    private readonly BertResidualOutput _output;

    public BertAttention(BertConfig config) : base("attention")
    {
        _self = new BertSelfAttention(config);
        _output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var context = _self.call(hidden, additiveMask);
        return _output.call(context, hidden);
    }
}
