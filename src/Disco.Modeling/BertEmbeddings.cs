using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>Word + absolute position + token-type embeddings, then LayerNorm and dropout.</summary>
internal sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "word_embeddings")]
    private readonly Embedding _wordEmbeddings;

    [ComponentName(Name = "position_embeddings")]
    private readonly Embedding _positionEmbeddings;

    [ComponentName(Name = "token_type_embeddings")]
    private readonly Embedding _tokenTypeEmbeddings;

    [ComponentName(Name = "LayerNorm")]
    private readonly LayerNorm _layerNorm;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    public BertEmbeddings(BertConfig config) : base("embeddings")
    {
        _wordEmbeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        _positionEmbeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        _tokenTypeEmbeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = nn.Dropout(config.HiddenDropoutProb);
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
        var words = _wordEmbeddings.call(inputIds);
        var positions = _positionEmbeddings.weight.narrow(0, 0, length);
        var tokenType = tokenTypeIds is null ? _tokenTypeEmbeddings.weight![0] : _tokenTypeEmbeddings.call(tokenTypeIds);
        var summed = words + positions + tokenType;
        return _dropout.call(_layerNorm.call(summed)).MoveToOuterDisposeScope();
    }
}
