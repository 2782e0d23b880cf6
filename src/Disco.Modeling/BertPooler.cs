using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>HuggingFace's BertPooler: tanh(dense(hidden state of the first token, [CLS])).</summary>
internal sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "dense")]
    private readonly Linear _dense;

    public BertPooler(int hiddenSize) : base("pooler")
    {
        _dense = nn.Linear(hiddenSize, hiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var first = hidden.select(1, 0);
        using var projected = _dense.call(first);
        return projected.tanh();
    }
}
