using System.CommandLine;
using Disco.Core;
using Disco.Core.Vectors;
using Disco.Hub;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Cli.Options;

/// <summary>
/// The options that choose and configure a sparse encoder: model (folder or HuggingFace id),
/// pooling, wordpieces per text, texts per forward pass, precision, hub revision, and the runtime
/// (backend, ONNX graph file, device). Defaults come from <see cref="SpladeEncoderOptions"/>,
/// <see cref="EncoderBackendOptions"/> and <see cref="HubOptions"/>.
/// </summary>
internal sealed class EncoderOptionGroup
{
    private static readonly SpladeEncoderOptions Defaults = new();

    /// <param name="modelDescription">The model option's help; null when the verb names its models itself.</param>
    public EncoderOptionGroup(string? modelDescription, bool modelRequired = false, params string[] modelAliases)
    {
        if (modelDescription is not null)
            Model = new Option<string?>("--model", modelAliases) { Description = modelDescription, Required = modelRequired };
        Aggregation.AcceptOnlyFromAmong("max", "sum");
        Precision.AcceptOnlyFromAmong("float32", "bfloat16");
        Backend.AcceptOnlyFromAmong("auto", "torch", "onnx");
    }

    public Option<string?>? Model { get; }

    public Option<string> Aggregation { get; } = new("--agg") { Description = "Pooling over tokens: max (SPLADE v2/++, DiSCo) or sum (SPLADE v1)", DefaultValueFactory = _ => Defaults.Aggregation == SpladeAggregation.Sum ? "sum" : "max" };

    public Option<int> MaxLength { get; } = new("--max-length") { Description = "Wordpieces per text including [CLS]/[SEP] (SPLADE and DiSCo use 256)", DefaultValueFactory = _ => Defaults.MaxLength };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Texts per forward pass", DefaultValueFactory = _ => Defaults.BatchSize };

    public Option<string> Precision { get; } = new("--precision") { Description = "float32 (exact) or bfloat16 (about 2x faster on AVX512_BF16 CPUs, ~0.5% error)", DefaultValueFactory = _ => Defaults.Precision == SpladePrecision.Bf16 ? "bfloat16" : "float32" };

    public Option<string> Revision { get; } = new("--revision") { Description = "Branch, tag or commit of a HuggingFace model id", DefaultValueFactory = _ => HubOptions.DefaultRevision };

    public Option<string> Backend { get; } = new("--backend") { Description = "Runtime: torch (PyTorch weights through TorchSharp), onnx (an ONNX graph through ONNX Runtime), or auto: what the folder holds, torch when it has both", DefaultValueFactory = _ => "auto" };

    public Option<string?> OnnxFile { get; } = new("--onnx-file") { Description = "The ONNX graph to run, e.g. model_quantized.onnx, looked for in onnx/ then at the top of the model folder (default: model.onnx); implies --backend onnx" };

    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N; CUDA encodes through ONNX Runtime's CUDA execution provider (a build with -p:OnnxRuntimeBackend=cuda)", DefaultValueFactory = _ => ComputeDevice.Cpu.ToString() };

    /// <summary>
    /// The verb's <c>--threads</c> (<see cref="ThreadsOption"/>, added to the command by the verb), which
    /// also gives ONNX Runtime its intra-op threads; null or unset: <see cref="Core.Vectors.EncoderDefaults.Threads"/>.
    /// </summary>
    public Option<int?>? Threads { get; set; }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var o in new Option?[] { Model, Aggregation, MaxLength, BatchSize, Precision, Revision, Backend, OnnxFile, Device })
        {
            if (o is not null)
                command.Options.Add(o);
        }
    }

    public SpladeEncoderOptions Build(ParseResult parse, int? topK = null, float minWeight = 0) => new(
        parse.GetValue(Aggregation) == "sum" ? SpladeAggregation.Sum : SpladeAggregation.Max,
        parse.GetValue(MaxLength),
        parse.GetValue(BatchSize),
        topK,
        minWeight,
        parse.GetValue(Precision) == "bfloat16" ? SpladePrecision.Bf16 : SpladePrecision.Fp32);

    /// <summary>The CLI's model loader: the HuggingFace environment at --revision, download bars and load warnings on stderr.</summary>
    public ModelLoader Loader(ParseResult parse) => CliModels.Loader(parse.GetValue(Revision)!, BuildBackend(parse));

    /// <summary>The runtime choice: --backend, --onnx-file, --device.</summary>
    public EncoderBackendOptions BuildBackend(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var backend = parse.GetValue(Backend) switch
        {
            "torch" => EncoderBackend.Torch,
            "onnx" => EncoderBackend.Onnx,
            _ => EncoderBackend.Auto,
        };
        ComputeDevice device;
        try
        {
            // A verb that adds only part of the group (export) leaves these unset: CPU, auto.
            device = parse.GetValue(Device) is { } name ? ComputeDevice.Parse(name) : ComputeDevice.Cpu;
        }
        catch (DiscoException e)
        {
            throw new UsageException($"--device: {e.Message}");
        }
        return new EncoderBackendOptions(backend, parse.GetValue(OnnxFile), device, Threads is null ? null : parse.GetValue(Threads));
    }

    /// <summary>Loads --model (or <paramref name="model"/>) for <paramref name="role"/>.</summary>
    public ISparseEncoder Load(ParseResult parse, EncoderRole role, string? model = null)
    {
        var name = model ?? (Model is null ? null : parse.GetValue(Model)) ?? throw new UsageException("--model DIR|ID is required");
        return Loader(parse).Load(name, role, Build(parse));
    }
}
