using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>The MLM head's dense → activation → LayerNorm, applied before the vocabulary projection.</summary>
internal sealed class BertPredictionTransform : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "dense")]
    private readonly Linear _dense;

    [ComponentName(Name = "LayerNorm")]
    private readonly LayerNorm _layerNorm;

    private readonly BertActivation _activation;

    public BertPredictionTransform(BertConfig config) : base("transform")
    {
        _dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _activation = config.HiddenAct;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return _layerNorm.call(BertDense.Activate(_dense.call(hidden), _activation)).MoveToOuterDisposeScope();
    }
}
