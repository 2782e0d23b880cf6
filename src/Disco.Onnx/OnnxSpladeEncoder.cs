using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disco.Core;
using Disco.Core.Vectors;
using Disco.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Disco.Onnx;

/// <summary>
/// SPLADE inference through ONNX Runtime: the same tokenizer, truncation, length-sorted batching and
/// pooling as the TorchSharp encoder, on a graph with inputs <c>input_ids</c>, <c>attention_mask</c>
/// and optionally <c>token_type_ids</c> (only the inputs the graph declares are sent) and an output of
/// MLM logits <c>[batch, sequence, vocab]</c> or already-pooled weights <c>[batch, vocab]</c>
/// (docs/models.md, "ONNX models").
/// </summary>
public sealed class OnnxSpladeEncoder : ISparseEncoder
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";
    private static readonly string[] KnownInputs = [InputIds, AttentionMask, TokenTypeIds];
    private static readonly string[] PreferredOutputs = ["logits", "sparse_weights"];

    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly string[] _inputs;
    private readonly bool _int32Inputs;
    private readonly string _output;
    private readonly bool _pooled;
    private int _vocabularySize;

    private OnnxSpladeEncoder(string file, InferenceSession session, SessionOptions sessionOptions, WordPieceTokenizer tokenizer, OnnxEncoderOptions options, int? configVocabSize)
    {
        GraphFile = file;
        _session = session;
        _sessionOptions = sessionOptions;
        Tokenizer = tokenizer;
        Options = options;
        var inputs = session.InputMetadata;
        if (!inputs.TryGetValue(InputIds, out var ids))
            throw new DiscoException($"{file}: the graph has no input '{InputIds}' (its inputs: {string.Join(", ", inputs.Keys)}); a SPLADE graph takes {InputIds}, {AttentionMask} and optionally {TokenTypeIds}");
        var unknown = inputs.Keys.Where(k => k is not (InputIds or AttentionMask or TokenTypeIds)).ToList();
        if (unknown.Count > 0)
            throw new DiscoException($"{file}: the graph needs inputs this encoder cannot provide: {string.Join(", ", unknown)} (known: {InputIds}, {AttentionMask}, {TokenTypeIds})");
        foreach (var (name, meta) in inputs)
        {
            if (meta.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32) || meta.ElementDataType != ids.ElementDataType)
                throw new DiscoException($"{file}: input '{name}' has element type {meta.ElementDataType}; expected int64 (or int32) like {InputIds}");
        }
        _int32Inputs = ids.ElementDataType == TensorElementType.Int32;
        _inputs = [.. KnownInputs.Where(inputs.ContainsKey)];

        var outputs = session.OutputMetadata;
        var chosen = PreferredOutputs.FirstOrDefault(outputs.ContainsKey) ?? outputs.Keys.First();
        var meta0 = outputs[chosen];
        if (meta0.ElementDataType != TensorElementType.Float)
            throw new DiscoException($"{file}: output '{chosen}' has element type {meta0.ElementDataType}; expected float32");
        if (meta0.Dimensions.Length is not (2 or 3))
            throw new DiscoException($"{file}: output '{chosen}' has {meta0.Dimensions.Length} dimensions; expected logits [batch, sequence, vocab] or pooled weights [batch, vocab]");
        _output = chosen;
        _pooled = meta0.Dimensions.Length == 2;
        var declared = meta0.Dimensions[^1];
        ConfigVocabSize = configVocabSize;
        if (declared > 0)
            CheckVocabulary(declared);
    }

    /// <summary>The ONNX file this encoder runs.</summary>
    public string GraphFile { get; }

    /// <summary>The intra-op thread count its ONNX Runtime session was created with.</summary>
    public int IntraOpThreads => _sessionOptions.IntraOpNumThreads;

    /// <summary>The inter-op thread count of its session (1: the graph's nodes run one after another).</summary>
    public int InterOpThreads => _sessionOptions.InterOpNumThreads;

    public WordPieceTokenizer Tokenizer { get; }

    public OnnxEncoderOptions Options { get; }

    /// <summary>Whether the graph pools itself (output <c>[batch, vocab]</c>) rather than returning logits.</summary>
    public bool IsPooledGraph => _pooled;

    /// <summary>The inputs sent to the graph (those it declares).</summary>
    public IReadOnlyList<string> GraphInputs => _inputs;

    public IReadOnlyList<string> Vocabulary => Tokenizer.Vocabulary;

    private int? ConfigVocabSize { get; }

    /// <summary>
    /// Loads the graph (<see cref="OnnxModelFolder.Find"/>) and the tokenizer of a model folder;
    /// config.json is optional (its <c>vocab_size</c> and <c>max_position_embeddings</c> are checked when present).
    /// </summary>
    public static OnnxSpladeEncoder Load(string modelDir, OnnxEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        options ??= new OnnxEncoderOptions();
        options.Validate();
        if (!Directory.Exists(modelDir))
            throw new DiscoException($"{modelDir}: model directory not found");
        var file = OnnxModelFolder.Find(modelDir, options.OnnxFile)
            ?? throw new DiscoException($"{modelDir}: no ONNX graph found (looked for {Path.Combine(OnnxModelFolder.Subfolder, options.OnnxFile ?? OnnxModelFolder.DefaultFile)} and {options.OnnxFile ?? OnnxModelFolder.DefaultFile})");
        var (vocabSize, maxPositions) = ReadConfig(modelDir);
        if (maxPositions is int positions && options.MaxLength > positions)
            throw new DiscoException($"max length {options.MaxLength} must not exceed the model's max_position_embeddings ({positions})");
        var tokenizerDir = HasTokenizer(modelDir) ? modelDir : Path.GetDirectoryName(file)!;
        var tokenizer = WordPieceTokenizer.FromDirectory(tokenizerDir);
        var sessionOptions = CreateSessionOptions(options);
        try
        {
            InferenceSession session;
            try
            {
                session = new InferenceSession(file, sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new DiscoException($"{file}: ONNX Runtime cannot load the graph: {FirstLine(e.Message)}");
            }
            try
            {
                return new OnnxSpladeEncoder(file, session, sessionOptions, tokenizer, options, vocabSize);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    public IReadOnlyList<SparseVector> Encode(IReadOnlyList<string> texts, IProgress<long>? progress = null) =>
        EncodeTokenIds(Tokenizer.EncodeRows(texts, Options.MaxLength), progress);

    /// <summary>Encodes already tokenized texts (each with its [CLS]/[SEP]); one vector per input, in order.</summary>
    public IReadOnlyList<SparseVector> EncodeTokenIds(IReadOnlyList<int[]> tokenIds, IProgress<long>? progress = null)
    {
        WordPieceTokenizer.CheckTokenIds(tokenIds, Tokenizer.VocabularySize);
        var results = new SparseVector[tokenIds.Count];
        // Longest first, as the TorchSharp encoder: padding stays small and peak memory shows at once.
        var order = Enumerable.Range(0, tokenIds.Count).OrderByDescending(i => tokenIds[i].Length).ThenBy(i => i).ToArray();
        for (var start = 0; start < order.Length; start += Options.BatchSize)
        {
            var batch = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
            var vectors = EncodeBatch([.. batch.Select(i => tokenIds[i])]);
            for (var j = 0; j < batch.Length; j++)
                results[batch[j]] = vectors[j];
            progress?.Report(batch.Length);
        }
        return results;
    }

    private SparseVector[] EncodeBatch(int[][] rows)
    {
        var length = rows.Max(r => r.Length);
        var count = rows.Length * length;
        var ids = new long[count];
        var mask = new long[count];
        Array.Fill(ids, Tokenizer.PadId);
        for (var b = 0; b < rows.Length; b++)
        {
            for (var t = 0; t < rows[b].Length; t++)
            {
                ids[b * length + t] = rows[b][t];
                mask[b * length + t] = 1;
            }
        }
        long[] shape = [rows.Length, length];
        var values = new List<OrtValue>(_inputs.Length);
        try
        {
            foreach (var name in _inputs)
            {
                var input = name switch
                {
                    InputIds => ids,
                    AttentionMask => mask,
                    _ => new long[count], // single segments: every token has type 0
                };
                values.Add(_int32Inputs
                    ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(input, x => (int)x), shape)
                    : OrtValue.CreateTensorValueFromMemory(input, shape));
            }
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputs, values, [_output]);
            var output = outputs[0];
            var outShape = output.GetTensorTypeAndShape().Shape;
            var vocab = checked((int)outShape[^1]);
            if (_vocabularySize == 0)
                CheckVocabulary(vocab);
            var data = output.GetTensorDataAsSpan<float>();
            var result = new SparseVector[rows.Length];
            var pooled = new float[vocab];
            for (var b = 0; b < rows.Length; b++)
            {
                if (_pooled)
                    data.Slice(b * vocab, vocab).CopyTo(pooled);
                else
                    Pool(data.Slice(b * length * vocab, length * vocab), rows[b].Length, vocab, pooled);
                var vector = SparseVector.FromDense(pooled, Options.MinWeight);
                result[b] = Options.TopK is int topK ? vector.Prune(topK) : vector;
            }
            return result;
        }
        finally
        {
            foreach (var v in values)
                v.Dispose();
        }
    }

    /// <summary>SPLADE pooling of one text's logits [T, V] over its real tokens into <paramref name="pooled"/>.</summary>
    private void Pool(ReadOnlySpan<float> logits, int tokens, int vocab, Span<float> pooled)
    {
        if (Options.Aggregation == SpladeAggregation.Max)
        {
            // log1p∘relu is monotone: the max of the weights is the weight of the max logit.
            logits[..vocab].CopyTo(pooled);
            for (var t = 1; t < tokens; t++)
                Max(logits.Slice(t * vocab, vocab), pooled);
            for (var j = 0; j < vocab; j++)
                pooled[j] = pooled[j] > 0 ? MathF.Log(1 + pooled[j]) : 0;
            return;
        }
        pooled.Clear();
        for (var t = 0; t < tokens; t++)
        {
            var row = logits.Slice(t * vocab, vocab);
            for (var j = 0; j < vocab; j++)
                pooled[j] += row[j] > 0 ? MathF.Log(1 + row[j]) : 0;
        }
    }

    private static void Max(ReadOnlySpan<float> row, Span<float> into)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            for (; i <= row.Length - width; i += width)
                Vector.Max(new Vector<float>(row[i..]), new Vector<float>(into[i..])).CopyTo(into[i..]);
        }
        for (; i < row.Length; i++)
            into[i] = Math.Max(into[i], row[i]);
    }

    private void CheckVocabulary(int graphVocab)
    {
        var words = Tokenizer.VocabularySize;
        // vocab.txt may be shorter than the output only when config.json says the model is padded so.
        if (words > graphVocab || (words < graphVocab && ConfigVocabSize != graphVocab))
            throw new DiscoException($"{GraphFile}: output '{_output}' has a vocabulary dimension of {graphVocab} but the tokenizer has {words} wordpieces");
        if (ConfigVocabSize is int configured && configured != graphVocab)
            throw new DiscoException($"{GraphFile}: output '{_output}' has a vocabulary dimension of {graphVocab} but config.json says vocab_size {configured}");
        _vocabularySize = graphVocab;
    }

    private static SessionOptions CreateSessionOptions(OnnxEncoderOptions options)
    {
        var so = new SessionOptions
        {
            GraphOptimizationLevel = options.OptimizationLevel switch
            {
                OnnxOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                OnnxOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
        };
        // One default for both backends (EncoderDefaults.Threads), not ONNX Runtime's own.
        so.IntraOpNumThreads = options.Threads ?? EncoderDefaults.Threads;
        if (options.Device.IsCuda)
        {
            try
            {
                so.AppendExecutionProvider_CUDA(options.Device.Index);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                so.Dispose();
                throw new DiscoException($"device {options.Device} requested but ONNX Runtime's CUDA execution provider is not available ({FirstLine(e.Message)}); build with -p:OnnxRuntimeBackend=cuda on a host with CUDA 12 and cuDNN 9, or use --device cpu");
            }
        }
        return so;
    }

    private static bool HasTokenizer(string dir) =>
        File.Exists(Path.Combine(dir, "vocab.txt")) || File.Exists(Path.Combine(dir, "tokenizer.json"));

    private static (int? VocabSize, int? MaxPositions) ReadConfig(string modelDir)
    {
        var path = Path.Combine(modelDir, "config.json");
        if (!File.Exists(path))
            return (null, null);
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new DiscoException($"{path}: config must be a JSON object");
            return (Optional(o, "vocab_size", path), Optional(o, "max_position_embeddings", path));
        }
        catch (JsonException e)
        {
            throw new DiscoException($"{path}: invalid JSON: {e.Message}");
        }
    }

    private static int? Optional(JsonObject o, string name, string path)
    {
        var node = o[name];
        if (node is null)
            return null;
        try
        {
            return node.GetValue<int>();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new DiscoException($"{path}: \"{name}\" must be an integer, got {node.ToJsonString()}");
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
    }
}
