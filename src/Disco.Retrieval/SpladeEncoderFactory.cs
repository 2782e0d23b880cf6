using Disco.Core.Vectors;
using Disco.Modeling;

namespace Disco.Retrieval;

/// <summary>HuggingFace masked-LM checkpoints (config.json with safetensors or pytorch_model.bin, single or sharded) run by TorchSharp.</summary>
public sealed class SpladeEncoderFactory : IEncoderFactory
{
    private static readonly string[] WeightFiles = [HfCheckpoint.SafetensorsFile, HfCheckpoint.SafetensorsIndexFile, HfCheckpoint.PyTorchFile, HfCheckpoint.PyTorchIndexFile];

    public string Name => "SPLADE (TorchSharp)";

    /// <summary>config.json and weights; a folder with config.json and only an ONNX graph is ONNX Runtime's.</summary>
    public bool CanLoad(string directory) =>
        File.Exists(Path.Combine(directory, HfCheckpoint.ConfigFile)) && WeightFiles.Any(f => File.Exists(Path.Combine(directory, f)));

    public ISparseEncoder Load(string directory, SpladeEncoderOptions options, TextWriter? warnings) => SpladeEncoder.Load(directory, options, warnings);
}
