using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>DistilBERT's <c>FFN</c>: <c>lin1</c> → activation → <c>lin2</c> → dropout.</summary>
internal sealed class DistilBertFeedForward : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "lin1")]
    private readonly Linear _lin1;

    [ComponentName(Name = "lin2")]
    private readonly Linear _lin2;

    [ComponentName(Name = "dropout")]
    private readonly DropoutLayer _dropout;

    private readonly BertActivation _activation;

    public DistilBertFeedForward(DistilBertConfig config) : base("ffn")
    {
        _lin1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        _lin2 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        _dropout = new DropoutLayer(config.HiddenDropoutProb);
        _activation = config.HiddenAct;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return _dropout.call(_lin2.call(BertDense.Activate(_lin1.call(hidden), _activation))).MoveToOuterDisposeScope();
    }
}
