using System.CommandLine;
using Disco.Cli.Options;
using Disco.Modeling;
using Disco.Modeling.Onnx;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>`disco export onnx`: a checkpoint as an ONNX model folder (docs/models.md, "ONNX export").</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var encoder = new EncoderOptionGroup("HuggingFace model directory or model id", modelRequired: true, "-m");
        var output = new Option<string>("--out") { Description = "Output folder (model.onnx or model_quantized.onnx, config.json, tokenizer files)", Required = true };
        var pooling = new Option<bool>("--pooling") { Description = "Pool inside the graph: output sparse_weights [batch, vocab] (SPLADE weights) instead of logits [batch, sequence, vocab]" };
        var quantize = new Option<string>("--quantize") { Description = "none (float32, exact) or int8 (int8 weights, dynamic uint8 activations; not exact, see docs/benchmarks.md)", DefaultValueFactory = _ => "none" };
        quantize.AcceptOnlyFromAmong("none", "int8");
        var onnx = new Command("onnx", "Write a model as an ONNX graph that ONNX Runtime and HuggingFace-style tools load (input_ids, attention_mask[, token_type_ids] -> logits or sparse_weights)");
        foreach (var o in new Option[] { encoder.Model!, encoder.Aggregation, encoder.Revision, output, pooling, quantize })
            onnx.Options.Add(o);
        onnx.SetAction(parse =>
        {
            var directory = encoder.Loader(parse).Locate(parse.GetRequiredValue(encoder.Model!)!, EncoderRole.Document);
            var options = new OnnxExportOptions(
                parse.GetValue(pooling),
                encoder.Build(parse).Aggregation,
                parse.GetValue(quantize) == "int8" ? OnnxQuantization.DynamicInt8 : OnnxQuantization.None);
            using var loaded = HfCheckpoint.Load(directory, out _, Console.Error);
            var file = OnnxExporter.Export(loaded, parse.GetRequiredValue(output), options, directory);
            Console.Error.WriteLine($"wrote {file}");
            return 0;
        });
        var command = new Command("export", "Export a model to another format");
        command.Subcommands.Add(onnx);
        return command;
    }
}
