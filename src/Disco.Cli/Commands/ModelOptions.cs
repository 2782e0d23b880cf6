using System.CommandLine;
using Disco.Core.Vectors;
using Disco.Hub;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>Options shared by the verbs that run a SPLADE model (encode, expand, index, search), and the model loader they use.</summary>
public static class ModelOptions
{
    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "HuggingFace model directory (config.json, model.safetensors or pytorch_model.bin, vocab.txt) or model id (org/name, resolved through the HuggingFace cache; docs/models.md)",
        Required = true,
    };

    public static Option<string> Aggregation()
    {
        var o = new Option<string>("--agg") { Description = "Pooling over tokens: max (SPLADE v2/++, DiSCo) or sum (SPLADE v1)", DefaultValueFactory = _ => "max" };
        o.AcceptOnlyFromAmong("max", "sum");
        return o;
    }

    public static Option<int> MaxLength() => new("--max-length") { Description = "Wordpieces per text including [CLS]/[SEP] (SPLADE and DiSCo use 256)", DefaultValueFactory = _ => SpladeEncoderOptions.DefaultMaxLength };

    public static Option<int?> Threads() => new("--threads") { Description = "libtorch intra-op threads (default: all cores)" };

    public static Option<string> Precision()
    {
        var o = new Option<string>("--precision") { Description = "float32 (exact) or bfloat16 (about 2x faster on AVX512_BF16 CPUs, ~0.5% error)", DefaultValueFactory = _ => "float32" };
        o.AcceptOnlyFromAmong("float32", "bfloat16");
        return o;
    }

    public static SpladePrecision ParsePrecision(string value) => value == "bfloat16" ? SpladePrecision.Bf16 : SpladePrecision.Fp32;

    public static SpladeAggregation ParseAggregation(string value) => value == "sum" ? SpladeAggregation.Sum : SpladeAggregation.Max;

    /// <summary>The model loader of the CLI: the HuggingFace environment (HF_HOME, HF_TOKEN, ...) at <paramref name="revision"/>.</summary>
    public static ModelLoader Loader(string revision = HubOptions.DefaultRevision) => new(HubOptions.FromEnvironment() with { Revision = revision });
}
