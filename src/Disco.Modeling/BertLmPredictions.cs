using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// HuggingFace's <c>cls.predictions</c>: the transform and the decoder bias. The decoder weight is
/// not a parameter of its own: it is the word-embedding matrix, passed in at projection time, so
/// that one Parameter receives gradients from both uses (as HF's tied weights do).
/// </summary>
internal sealed class BertLmPredictions : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "transform")]
    private readonly BertPredictionTransform _transform;

    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;

    public BertLmPredictions(BertConfig config) : base("predictions")
    {
        _transform = new BertPredictionTransform(config);
        _bias = nn.Parameter(zeros(config.VocabSize));
        RegisterComponents();
    }

    public Parameter Bias => _bias;

    public override Tensor forward(Tensor hidden) => _transform.call(hidden);
}
