using Disco.Core;
using Disco.Core.Reranking;
using Disco.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Disco.Modeling;

/// <summary>
/// Cross-encoder scoring: each (query, passage) pair becomes <c>[CLS] q [SEP] p [SEP]</c> (token
/// types 0 then 1, the passage cut first when too long), and the model's one logit is its score.
/// Pairs are sorted by length before batching so padding stays small.
/// </summary>
public sealed class CrossEncoder : ICrossEncoder
{
    private readonly bool _ownsModel;

    /// <summary>Wraps an existing model (not disposed with the scorer), e.g. one being trained.</summary>
    public CrossEncoder(SequenceClassificationModel model, WordPieceTokenizer tokenizer, CrossEncoderOptions? options = null)
        : this(model, tokenizer, options ?? new CrossEncoderOptions(), ownsModel: false)
    {
    }

    private CrossEncoder(SequenceClassificationModel model, WordPieceTokenizer tokenizer, CrossEncoderOptions options, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        options.Validate(model.Config);
        if (model.NumLabels != 1)
            throw new DiscoException($"a cross-encoder scores with one logit; this model has {model.NumLabels} labels");
        if (tokenizer.Vocabulary.Count > model.Config.VocabSize)
            throw new DiscoException($"the tokenizer has {tokenizer.Vocabulary.Count} wordpieces but the model's vocab_size is {model.Config.VocabSize}");
        Model = model;
        Tokenizer = tokenizer;
        Options = options;
        _ownsModel = ownsModel;
    }

    public SequenceClassificationModel Model { get; }

    public WordPieceTokenizer Tokenizer { get; }

    public CrossEncoderOptions Options { get; }

    /// <summary>Where the model's weights are (inputs go there).</summary>
    public Device Device => Model.parameters().First().device;

    /// <summary>Loads a cross-encoder (config.json, weights, vocab.txt) from a HuggingFace model directory.</summary>
    /// <param name="warnings">Where checkpoint load warnings go (null: nowhere).</param>
    public static CrossEncoder Load(string modelDir, CrossEncoderOptions? options = null, TextWriter? warnings = null)
    {
        options ??= new CrossEncoderOptions();
        // The config is the clearest sign of a wrong directory, so check it before the vocabulary.
        options.Validate(MaskedLmConfig.FromDirectory(modelDir));
        var tokenizer = WordPieceTokenizer.FromDirectory(modelDir);
        var model = CrossEncoderCheckpoint.Load(modelDir, out _, warnings);
        try
        {
            if (options.Precision == SpladePrecision.Bf16)
                model.to(ScalarType.BFloat16);
            return new CrossEncoder(model, tokenizer, options, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Tokenizes one pair as the model reads it.</summary>
    public EncodedPair Encode(QueryPassagePair pair)
    {
        var ids = Tokenizer.EncodePair(pair.Query ?? throw new ArgumentException("a pair has no query"), pair.Passage ?? throw new ArgumentException("a pair has no passage"),
            Options.MaxLength, out var first);
        return new EncodedPair(ids, first);
    }

    public IReadOnlyList<float> Score(IReadOnlyList<QueryPassagePair> pairs, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var encoded = new EncodedPair[pairs.Count];
        for (var i = 0; i < encoded.Length; i++)
            encoded[i] = Encode(pairs[i]);
        return ScoreEncoded(encoded, progress);
    }

    /// <summary>Scores already tokenized pairs; one score per pair, in order.</summary>
    public float[] ScoreEncoded(IReadOnlyList<EncodedPair> pairs, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var scores = new float[pairs.Count];
        // Longest first: the first batch shows the peak memory at once instead of at the end.
        var order = Enumerable.Range(0, pairs.Count).OrderByDescending(i => pairs[i].Ids.Length).ThenBy(i => i).ToArray();
        // The same pair gets the same score bit for bit on whichever thread calls (a server's pool threads).
        TorchThreads.ApplyToCurrentThread();
        var wasTraining = Model.training;
        Model.eval();
        try
        {
            using var inference = inference_mode();
            for (var start = 0; start < order.Length; start += Options.BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
                using var scope = NewDisposeScope();
                using var inputs = PairBatch.Create([.. batch.Select(i => pairs[i])], Tokenizer.PadId, Device);
                var logits = Model.call(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds).to_type(ScalarType.Float32).data<float>().ToArray();
                for (var j = 0; j < batch.Length; j++)
                    scores[batch[j]] = logits[j];
                progress?.Report(batch.Length);
            }
        }
        finally
        {
            Model.train(wasTraining);
        }
        return scores;
    }

    public void Dispose()
    {
        if (_ownsModel)
            Model.Dispose();
    }
}
