using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// Word + absolute position (+ token-type, in BERT) embeddings, then LayerNorm and dropout.
/// DistilBERT's embeddings are the same without token types.
/// </summary>
internal sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "word_embeddings")]
    private readonly Embedding _wordEmbeddings;

    [ComponentName(Name = "position_embeddings")]
    private readonly Embedding _positionEmbeddings;

    /// <summary>Null where the architecture has no token types (a null field is not registered).</summary>
    [ComponentName(Name = "token_type_embeddings")]
    private readonly Embedding? _tokenTypeEmbeddings;

    [ComponentName(Name = "LayerNorm")]
    private readonly LayerNorm _layerNorm;

    [ComponentName(Name = "dropout")]
    private readonly DropoutLayer _dropout;

    /// <param name="typeVocabSize">Token types (BERT's <c>type_vocab_size</c>); 0 for none.</param>
    public BertEmbeddings(MaskedLmConfig config, int typeVocabSize) : base("embeddings")
    {
        _wordEmbeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        _positionEmbeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        _tokenTypeEmbeddings = typeVocabSize > 0 ? nn.Embedding(typeVocabSize, config.HiddenSize) : null;
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = new DropoutLayer(config.HiddenDropoutProb);
        RegisterComponents();
    }

    public Parameter WordEmbeddings => _wordEmbeddings.weight!;

    public override Tensor forward(Tensor inputIds) => Embed(inputIds, null);

    /// <param name="inputIds">[B, T] token ids.</param>
    /// <param name="tokenTypeIds">[B, T] segment ids (a cross-encoder's 0 for the query, 1 for the
    /// passage); null means token type 0 everywhere, as SPLADE and DiSCo encode single segments.</param>
    public Tensor Embed(Tensor inputIds, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var length = inputIds.shape[1];
        if (length > _positionEmbeddings.weight!.shape[0])
            throw new ArgumentException($"sequence length {length} exceeds max_position_embeddings {_positionEmbeddings.weight.shape[0]}");
        var summed = _wordEmbeddings.call(inputIds) + _positionEmbeddings.weight.narrow(0, 0, length);
        if (_tokenTypeEmbeddings is not null)
            summed = summed + (tokenTypeIds is null ? _tokenTypeEmbeddings.weight![0] : _tokenTypeEmbeddings.call(tokenTypeIds));
        else if (tokenTypeIds is not null)
            throw new ArgumentException("this architecture has no token types", nameof(tokenTypeIds));
        return _dropout.call(_layerNorm.call(summed)).MoveToOuterDisposeScope();
    }
}
