using Disco.Core;
using Disco.Core.Vectors;
using Disco.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// SPLADE inference: texts → wordpieces → BERT MLM → <c>log(1 + relu(logits))</c> pooled over tokens.
/// Texts are sorted by length before batching so padding stays small, and the vocabulary
/// projection runs only on each text's real tokens, one text at a time, so memory never holds a
/// [batch, tokens, vocabulary] tensor.
/// </summary>
public sealed class SpladeEncoder : ISparseEncoder
{
    private readonly bool _ownsModel;

    /// <summary>Wraps an existing model (not disposed with the encoder), e.g. one being trained.</summary>
    public SpladeEncoder(MaskedLanguageModel model, WordPieceTokenizer tokenizer, SpladeEncoderOptions? options = null)
        : this(model, tokenizer, options ?? new SpladeEncoderOptions(), ownsModel: false)
    {
    }

    private SpladeEncoder(MaskedLanguageModel model, WordPieceTokenizer tokenizer, SpladeEncoderOptions options, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        options.Validate(model.Config);
        if (tokenizer.Vocabulary.Count > model.Config.VocabSize)
            throw new DiscoException($"the tokenizer has {tokenizer.Vocabulary.Count} wordpieces but the model's vocab_size is {model.Config.VocabSize}");
        Model = model;
        Tokenizer = tokenizer;
        Options = options;
        _ownsModel = ownsModel;
    }

    public WordPieceTokenizer Tokenizer { get; }

    public MaskedLanguageModel Model { get; }

    public SpladeEncoderOptions Options { get; }

    public IReadOnlyList<string> Vocabulary => Tokenizer.Vocabulary;

    /// <summary>
    /// Loads model and tokenizer from a HuggingFace model directory; HuggingFace's missing and
    /// unexpected weight warnings go to <paramref name="warnings"/> (null: nowhere).
    /// </summary>
    public static SpladeEncoder Load(string modelDir, SpladeEncoderOptions? options = null, TextWriter? warnings = null)
    {
        // The config is the clearest sign of a wrong directory, so check it before the vocabulary.
        (options ?? new SpladeEncoderOptions()).Validate(MaskedLmConfig.FromDirectory(modelDir));
        var tokenizer = WordPieceTokenizer.FromDirectory(modelDir);
        var model = HfCheckpoint.Load(modelDir, out _, warnings);
        try
        {
            // TorchSharp has no CPU autocast, so bfloat16 means casting the whole model; only a
            // model this encoder owns is cast (a wrapped training model keeps its float32 weights).
            if (options?.Precision == SpladePrecision.Bf16)
                model.to(ScalarType.BFloat16);
            return new SpladeEncoder(model, tokenizer, options ?? new SpladeEncoderOptions(), ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public IReadOnlyList<SparseVector> Encode(IReadOnlyList<string> texts, IProgress<long>? progress = null) =>
        EncodeTokenIds(Tokenizer.EncodeRows(texts, Options.MaxLength), progress);

    /// <summary>Encodes already tokenized texts (each with its [CLS]/[SEP]); one vector per input, in order.</summary>
    public IReadOnlyList<SparseVector> EncodeTokenIds(IReadOnlyList<int[]> tokenIds, IProgress<long>? progress = null)
    {
        WordPieceTokenizer.CheckTokenIds(tokenIds, Model.Config.VocabSize);
        var results = new SparseVector[tokenIds.Count];
        // Longest first: the first batch shows the peak memory at once instead of at the end.
        var order = Enumerable.Range(0, tokenIds.Count).OrderByDescending(i => tokenIds[i].Length).ThenBy(i => i).ToArray();
        // The same text gives the same vector bit for bit on whichever thread calls (a server's pool threads).
        TorchThreads.ApplyToCurrentThread();
        var wasTraining = Model.training;
        Model.eval();
        try
        {
            using var inference = inference_mode();
            for (var start = 0; start < order.Length; start += Options.BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
                var vectors = EncodeBatch(batch.Select(i => tokenIds[i]).ToArray());
                for (var j = 0; j < batch.Length; j++)
                    results[batch[j]] = vectors[j];
                progress?.Report(batch.Length);
            }
        }
        finally
        {
            Model.train(wasTraining);
        }
        return results;
    }

    private SparseVector[] EncodeBatch(int[][] rows)
    {
        using var scope = NewDisposeScope();
        var length = rows.Max(r => r.Length);
        if (length > Model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"a sequence of {length} tokens exceeds max_position_embeddings ({Model.Config.MaxPositionEmbeddings})");
        var ids = new long[rows.Length * length];
        var mask = new long[ids.Length];
        for (var b = 0; b < rows.Length; b++)
        {
            for (var t = 0; t < rows[b].Length; t++)
            {
                ids[b * length + t] = rows[b][t];
                mask[b * length + t] = 1;
            }
        }
        // Inputs go where the model is (a model being trained may live on a GPU).
        var device = Model.WordEmbeddings.device;
        var states = Model.HeadStates(tensor(ids, [rows.Length, length]).to(device), tensor(mask, [rows.Length, length]).to(device));
        var pooled = new Tensor[rows.Length];
        for (var b = 0; b < rows.Length; b++)
        {
            var logits = Model.VocabularyLogits(states[b].narrow(0, 0, rows[b].Length));
            // log1p∘relu is monotone, so the max of the weights is the weight of the max logit:
            // one [V] transform per text instead of one per token.
            pooled[b] = Options.Aggregation == SpladeAggregation.Max
                ? log1p(nn.functional.relu(logits.amax([0])))
                : log1p(nn.functional.relu(logits)).sum(dim: 0);
        }
        var vectors = SparseRepresentation.FromDense(stack(pooled), Options.MinWeight);
        if (Options.TopK is int topK)
        {
            for (var b = 0; b < vectors.Length; b++)
                vectors[b] = vectors[b].Prune(topK);
        }
        return vectors;
    }

    public void Dispose()
    {
        if (_ownsModel)
            Model.Dispose();
    }
}
