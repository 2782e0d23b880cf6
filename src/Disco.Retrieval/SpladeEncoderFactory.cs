using Disco.Core.Vectors;
using Disco.Modeling;

namespace Disco.Retrieval;

/// <summary>HuggingFace BERT masked-LM checkpoints (config.json with safetensors or pytorch_model.bin) run by TorchSharp.</summary>
public sealed class SpladeEncoderFactory : IEncoderFactory
{
    public string Name => "SPLADE (TorchSharp)";

    public bool CanLoad(string directory) => File.Exists(Path.Combine(directory, HfCheckpoint.ConfigFile));

    public ISparseEncoder Load(string directory, SpladeEncoderOptions options, TextWriter? warnings) => SpladeEncoder.Load(directory, options, warnings);
}
