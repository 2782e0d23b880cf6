using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Text;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>Text → SPLADE representation [B, V] with one encoder, keeping the graph when grad is on.</summary>
public sealed class RepresentationEncoder
{
    private SpladeEncoder? _inference;

    public RepresentationEncoder(MaskedLanguageModel model, WordPieceTokenizer tokenizer, int maxLength, Device device, SpladeAggregation aggregation = SpladeAggregation.Max)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        MaxLength = maxLength;
        Device = device;
        Aggregation = aggregation;
    }

    public MaskedLanguageModel Model { get; }

    public WordPieceTokenizer Tokenizer { get; }

    public int MaxLength { get; }

    public Device Device { get; }

    public SpladeAggregation Aggregation { get; }

    public long VocabularySize => Model.Config.VocabSize;

    /// <summary>Encodes texts, padded to the longest; returns [texts.Count, V].</summary>
    public Tensor Represent(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        using var scope = NewDisposeScope();
        var batch = Tokenizer.EncodeBatch(texts, MaxLength);
        var ids = tensor(batch.InputIds, [batch.BatchSize, batch.SequenceLength]).to(Device);
        var mask = tensor(batch.AttentionMask, [batch.BatchSize, batch.SequenceLength]).to(Device);
        var logits = Model.call(ids, mask);
        return SpladePooling.Represent(logits, mask, Aggregation).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Encodes texts into sparse vectors, one per text, in order, through the inference encoder
    /// (no gradient, evaluation mode for the call, vocabulary projection on real tokens only).
    /// </summary>
    public IReadOnlyList<SparseVector> Sparse(IReadOnlyList<string> texts) => Inference.Encode(texts);

    /// <summary>The inference encoder over the same (not owned) model.</summary>
    private SpladeEncoder Inference => _inference ??= new SpladeEncoder(Model, Tokenizer, new SpladeEncoderOptions(Aggregation, MaxLength));
}
