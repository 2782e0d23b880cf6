using System.Text.Json;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Vectors;

namespace Disco.Text;

/// <summary>
/// The query side of an inference-free ("doc-only") sparse model, as OpenSearch's
/// <c>opensearch-neural-sparse-encoding-doc-*</c> models define it: the query is tokenized with the
/// model's tokenizer and each distinct token weighs its IDF from <c>idf.json</c> (token → weight);
/// tokens the table lacks weigh 0. No network runs; documents are still encoded by the model's MLM.
/// </summary>
/// <remarks>
/// Deviation, marked: OpenSearch multiplies a one-hot query (including [CLS] and [SEP]) by the IDF
/// table and zeroes the special tokens of documents instead. Here special tokens are left out of the
/// query, so the dot product with any document vector is the same and Disco's documents need no
/// special treatment.
/// </remarks>
public sealed class IdfQueryEncoder : ISparseEncoder
{
    /// <summary>The file of a doc-only model folder that holds the query weights.</summary>
    public const string IdfFile = "idf.json";

    /// <summary>idf.json of real models is under 1 MB (30522 entries); 64 MB is far beyond any vocabulary.</summary>
    public const long MaxBytes = 64 << 20;

    private readonly float[] _weights;
    private readonly HashSet<int> _special;

    public IdfQueryEncoder(WordPieceTokenizer tokenizer, IReadOnlyDictionary<string, float> idf, int maxLength = EncoderDefaults.MaxLength)
    {
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        ArgumentNullException.ThrowIfNull(idf);
        if (maxLength < 2)
            throw new DiscoException($"max length {maxLength} must be at least 2");
        MaxLength = maxLength;
        _weights = new float[tokenizer.VocabularySize];
        foreach (var (token, weight) in idf)
        {
            // Entries for tokens outside this vocabulary can never occur in a query.
            if (tokenizer.TokenToId(token) is int id)
                _weights[id] = weight;
        }
        _special = [.. tokenizer.SpecialTokens.Select(t => tokenizer.TokenToId(t)).OfType<int>()];
    }

    public WordPieceTokenizer Tokenizer { get; }

    public int MaxLength { get; }

    public IReadOnlyList<string> Vocabulary => Tokenizer.Vocabulary;

    /// <summary>Whether <paramref name="modelDir"/> is a doc-only model folder (it holds <c>idf.json</c>).</summary>
    public static bool IsDocOnlyFolder(string modelDir) => File.Exists(Path.Combine(modelDir, IdfFile));

    /// <summary>Loads the tokenizer and <c>idf.json</c> of a doc-only model folder.</summary>
    public static IdfQueryEncoder Load(string modelDir, int maxLength = EncoderDefaults.MaxLength)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        var path = Path.Combine(modelDir, IdfFile);
        if (!File.Exists(path))
            throw new DiscoException($"{path}: not found; an inference-free query encoder needs the model's {IdfFile}");
        var idf = ReadIdf(path);
        return new IdfQueryEncoder(WordPieceTokenizer.FromDirectory(modelDir), idf, maxLength);
    }

    /// <summary>Reads <c>idf.json</c>: a JSON object of token → finite, non-negative number; anything else is a one-line error.</summary>
    public static Dictionary<string, float> ReadIdf(string path)
    {
        var o = StrictJson.ReadObjectFile(path, MaxBytes);
        var idf = new Dictionary<string, float>(o.Count, StringComparer.Ordinal);
        foreach (var (token, node) in o)
        {
            if (node is null || node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<double>(out var value))
            {
                var shown = node?.ToJsonString() ?? "null";
                throw new DataFormatException(path, 0, $"token {JsonSerializer.Serialize(token)} has weight {(shown.Length > 40 ? shown[..40] + "..." : shown)}; idf.json weights must be numbers");
            }
            if (!double.IsFinite(value) || value < 0 || value > float.MaxValue)
                throw new DataFormatException(path, 0, $"token {JsonSerializer.Serialize(token)} has weight {value}; idf.json weights must be finite and not negative");
            idf[token] = (float)value;
        }
        return idf;
    }

    public IReadOnlyList<SparseVector> Encode(IReadOnlyList<string> texts, IProgress<long>? progress = null)
    {
        var tokenIds = Tokenizer.EncodeRows(texts, MaxLength);
        var result = new SparseVector[tokenIds.Length];
        for (var i = 0; i < tokenIds.Length; i++)
        {
            var ids = tokenIds[i];
            // Each distinct token once (a one-hot query times the IDF table); zero weights are left out.
            result[i] = SparseVector.FromPairs(ids.Where(id => !_special.Contains(id)).Distinct()
                .Select(id => new KeyValuePair<int, float>(id, _weights[id])).Where(p => p.Value > 0));
            progress?.Report(1);
        }
        return result;
    }

    public void Dispose()
    {
    }
}
