using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>torch's <c>nn.Dropout</c> (no parameters, so checkpoints are unchanged), drawing its masks through <see cref="DropoutRandom"/>.</summary>
internal sealed class DropoutLayer : nn.Module<Tensor, Tensor>
{
    private readonly double _probability;

    public DropoutLayer(double probability) : base("dropout")
    {
        _probability = probability;
    }

    public override Tensor forward(Tensor input) => DropoutRandom.Apply(input, _probability, training);
}
