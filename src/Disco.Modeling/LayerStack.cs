using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// A stack of transformer blocks under the key <c>layer</c> (HuggingFace's <c>encoder.layer.N</c> in
/// BERT, <c>transformer.layer.N</c> in DistilBERT); each block takes the hidden states and the
/// additive attention mask.
/// </summary>
internal sealed class LayerStack<TLayer> : nn.Module<Tensor, Tensor, Tensor>
    where TLayer : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "layer")]
    private readonly ModuleList<TLayer> _layers;

    public LayerStack(string name, int count, Func<TLayer> create) : base(name)
    {
        _layers = nn.ModuleList(Enumerable.Range(0, count).Select(_ => create()).ToArray());
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
