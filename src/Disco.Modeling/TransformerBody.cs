using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// The encoder without its head: embeddings and a stack of blocks, under HuggingFace's names for the
/// architecture (<c>bert.{embeddings,encoder}</c>, <c>distilbert.{embeddings,transformer}</c>).
/// BERT's pooler is left out: BertForMaskedLM does not use it.
/// </summary>
internal sealed class TransformerBody<TLayer> : nn.Module<Tensor, Tensor, Tensor>
    where TLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertEmbeddings _embeddings;
    private readonly LayerStack<TLayer> _layers;

    public TransformerBody(string name, MaskedLmConfig config, int typeVocabSize, string stackName, Func<TLayer> createLayer) : base(name)
    {
        _embeddings = new BertEmbeddings(config, typeVocabSize);
        _layers = new LayerStack<TLayer>(stackName, config.NumHiddenLayers, createLayer);
        // Registered by hand: the stack's key differs between architectures.
        register_module("embeddings", _embeddings);
        register_module(stackName, _layers);
    }

    public Parameter WordEmbeddings => _embeddings.WordEmbeddings;

    /// <returns>The last hidden states [B, T, H].</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        // HF's DistilBERT fills masked scores with the dtype's minimum, BERT adds it: the same.
        var additive = MaskedLanguageModel.AdditiveMask(attentionMask, WordEmbeddings.dtype);
        var embedded = _embeddings.call(inputIds);
        return _layers.call(embedded, additive).MoveToOuterDisposeScope();
    }
}
