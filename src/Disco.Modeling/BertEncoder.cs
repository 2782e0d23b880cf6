using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>The stack of transformer layers.</summary>
internal sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "layer")]
    private readonly ModuleList<BertLayer> _layers;

    public BertEncoder(BertConfig config) : base("encoder")
    {
        _layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        var current = hidden;
        foreach (var layer in _layers)
        {
            var next = layer.call(current, additiveMask);
            if (!ReferenceEquals(current, hidden))
                current.Dispose();
            current = next;
        }
        return ReferenceEquals(current, hidden) ? current.alias() : current;
    }
}
