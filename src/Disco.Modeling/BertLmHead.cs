using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>HuggingFace's <c>cls</c> module (BertOnlyMLMHead), kept only so parameter names match.</summary>
internal sealed class BertLmHead : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "predictions")]
    private readonly BertLmPredictions _predictions;

    public BertLmHead(BertConfig config) : base("cls")
    {
        _predictions = new BertLmPredictions(config);
        RegisterComponents();
    }

    public TorchSharp.Modules.Parameter Bias => _predictions.Bias;

    public override Tensor forward(Tensor hidden) => _predictions.call(hidden);
}
