using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>A dense layer followed by the configured activation (HuggingFace's BertIntermediate).</summary>
internal sealed class BertDense : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "dense")]
    private readonly Linear _dense;

    private readonly BertActivation _activation;

    public BertDense(int inputSize, int outputSize, BertActivation activation, string name) : base(name)
    {
        _dense = nn.Linear(inputSize, outputSize);
        _activation = activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var projected = _dense.call(input);
        return Activate(projected, _activation);
    }

    public static Tensor Activate(Tensor x, BertActivation activation) => activation switch
    {
        BertActivation.Gelu => nn.functional.gelu(x),
        BertActivation.GeluTanh => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        _ => nn.functional.relu(x),
    };
}
