using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// The bias of a vocabulary projection whose weight is tied to the word embeddings (DistilBERT's
/// <c>vocab_projector</c>): only <c>bias</c> is a parameter of its own, so saving writes what
/// <c>save_pretrained</c> writes. The projection itself is <see cref="MaskedLanguageModel.VocabularyLogits"/>.
/// </summary>
internal sealed class TiedProjectionBias : nn.Module
{
    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;

    public TiedProjectionBias(string name, int vocabSize) : base(name)
    {
        _bias = nn.Parameter(zeros(vocabSize));
        RegisterComponents();
    }

    public Parameter Bias => _bias;
}
