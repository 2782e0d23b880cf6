using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>One transformer block: attention, then the feed-forward block with its residual.</summary>
internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "attention")]
    private readonly BertAttention _attention;

    [ComponentName(Name = "intermediate")]
    private readonly BertDense _intermediate;

    [ComponentName(Name = "output")]
    private readonly BertResidualOutput _output;

    public BertLayer(BertConfig config) : base("layer")
    {
        _attention = new BertAttention(config);
        _intermediate = new BertDense(config.HiddenSize, config.IntermediateSize, config.HiddenAct, "intermediate");
        _output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var attended = _attention.call(hidden, additiveMask);
        var inner = _intermediate.call(attended);
        return _output.call(inner, attended).MoveToOuterDisposeScope();
    }
}
