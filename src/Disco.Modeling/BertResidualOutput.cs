using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// dense → dropout → LayerNorm(x + residual): HuggingFace's BertSelfOutput and BertOutput, which
/// differ only in the input width.
/// </summary>
internal sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "dense")]
    private readonly Linear _dense;

    [ComponentName(Name = "LayerNorm")]
    private readonly LayerNorm _layerNorm;

    [ComponentName(Name = "dropout")]
    private readonly DropoutLayer _dropout;

    public BertResidualOutput(BertConfig config, int inputSize) : base("output")
    {
        _dense = nn.Linear(inputSize, config.HiddenSize);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = new DropoutLayer(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return _layerNorm.call(_dropout.call(_dense.call(hidden)) + residual).MoveToOuterDisposeScope();
    }
}
