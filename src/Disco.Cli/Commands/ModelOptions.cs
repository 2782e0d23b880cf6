using System.CommandLine;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Text;

namespace Disco.Cli.Commands;

/// <summary>Options shared by the verbs that run a SPLADE model (encode, expand).</summary>
public static class ModelOptions
{
    public static Option<DirectoryInfo> Model() => new("--model", "-m")
    {
        Description = "HuggingFace model directory (config.json, model.safetensors or pytorch_model.bin, vocab.txt)",
        Required = true,
    };

    public static Option<string> Aggregation()
    {
        var o = new Option<string>("--agg") { Description = "Pooling over tokens: max (SPLADE v2/++, DiSCo) or sum (SPLADE v1)", DefaultValueFactory = _ => "max" };
        o.AcceptOnlyFromAmong("max", "sum");
        return o;
    }

    public static Option<int> MaxLength() => new("--max-length") { Description = "Wordpieces per text including [CLS]/[SEP] (SPLADE and DiSCo use 256)", DefaultValueFactory = _ => 256 };

    public static Option<int?> Threads() => new("--threads") { Description = "libtorch intra-op threads (default: all cores)" };

    public static Option<string> Precision()
    {
        var o = new Option<string>("--precision") { Description = "float32 (exact) or bfloat16 (about 2x faster on AVX512_BF16 CPUs, ~0.5% error)", DefaultValueFactory = _ => "float32" };
        o.AcceptOnlyFromAmong("float32", "bfloat16");
        return o;
    }

    public static SpladePrecision ParsePrecision(string value) => value == "bfloat16" ? SpladePrecision.Bf16 : SpladePrecision.Fp32;

    public static SpladeAggregation ParseAggregation(string value) => value == "sum" ? SpladeAggregation.Sum : SpladeAggregation.Max;

    /// <summary>
    /// DiSCo's training output keeps the query encoder in <c>model/query</c> beside the document
    /// encoder in <c>model</c>; a query encoding of such a directory uses the query encoder.
    /// </summary>
    public static string ResolveModelDirectory(string dir, bool query)
    {
        var queryDir = Path.Combine(dir, "query");
        return query && File.Exists(Path.Combine(queryDir, HfCheckpoint.ConfigFile)) ? queryDir : dir;
    }

    public static TermVector ToTermVector(string id, SparseVector vector, WordPieceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new TermVector(id, [.. vector.Indices.Select(tokenizer.IdToToken)], vector.Values);
    }
}
