using Disco.Core.Vectors;
using Disco.Modeling;

namespace Disco.Retrieval;

/// <summary>
/// Loads one kind of sparse encoder from a local model folder. <see cref="ModelLoader"/> asks its
/// factories in order and takes the first that <see cref="CanLoad"/> the folder, so a new backend
/// (ONNX, inference-free idf weights, another architecture) is one more factory in
/// <see cref="EncoderFactories.Default"/>, not another loader.
/// </summary>
public interface IEncoderFactory
{
    /// <summary>A short name for messages, e.g. "SPLADE (TorchSharp)".</summary>
    string Name { get; }

    /// <summary>True when <paramref name="directory"/> holds a model this factory loads (decided by the files present, cheaply).</summary>
    bool CanLoad(string directory);

    /// <summary>Loads the encoder; load-time warnings (e.g. weights the model did not use) go to <paramref name="warnings"/> when given.</summary>
    ISparseEncoder Load(string directory, SpladeEncoderOptions options, TextWriter? warnings);
}
