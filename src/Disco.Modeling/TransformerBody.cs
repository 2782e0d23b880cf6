using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// The encoder without its head: embeddings and a stack of blocks, under HuggingFace's names for the
/// architecture (<c>bert.{embeddings,encoder}</c>, <c>distilbert.{embeddings,transformer}</c>).
/// BERT's pooler is built only for heads that use it (BertForSequenceClassification; BertForMaskedLM
/// does not, and its checkpoints' pooler weights are ignored).
/// </summary>
internal sealed class TransformerBody<TLayer> : nn.Module<Tensor, Tensor, Tensor>
    where TLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertEmbeddings _embeddings;
    private readonly LayerStack<TLayer> _layers;
    private readonly nn.Module<Tensor, Tensor>? _pooler;

    /// <param name="pooler">Registered as <c>pooler</c> when given (BERT's <c>bert.pooler.*</c>).</param>
    public TransformerBody(string name, MaskedLmConfig config, int typeVocabSize, string stackName, Func<TLayer> createLayer, nn.Module<Tensor, Tensor>? pooler = null) : base(name)
    {
        _embeddings = new BertEmbeddings(config, typeVocabSize);
        _layers = new LayerStack<TLayer>(stackName, config.NumHiddenLayers, createLayer);
        _pooler = pooler;
        // Registered by hand: the stack's key differs between architectures.
        register_module("embeddings", _embeddings);
        register_module(stackName, _layers);
        if (pooler is not null)
            register_module("pooler", pooler);
    }

    public Parameter WordEmbeddings => _embeddings.WordEmbeddings;

    /// <returns>The last hidden states [B, T, H].</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask) => Forward(inputIds, attentionMask, null);

    /// <summary>The last hidden states [B, T, H] of a batch with token types (null: all 0).</summary>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        // HF's DistilBERT fills masked scores with the dtype's minimum, BERT adds it: the same.
        var additive = MaskedLanguageModel.AdditiveMask(attentionMask, WordEmbeddings.dtype);
        var embedded = _embeddings.Embed(inputIds, tokenTypeIds);
        return _layers.call(embedded, additive).MoveToOuterDisposeScope();
    }

    /// <summary>The pooler's output [B, H] for hidden states [B, T, H].</summary>
    public Tensor Pool(Tensor hidden) =>
        (_pooler ?? throw new InvalidOperationException("this body was built without a pooler")).call(hidden);
}
