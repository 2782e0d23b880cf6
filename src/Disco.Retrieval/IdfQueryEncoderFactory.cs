using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Text;

namespace Disco.Retrieval;

/// <summary>
/// The query side of inference-free ("doc-only") models: a folder with <c>idf.json</c> encodes
/// queries by token weights, without a network (<see cref="IdfQueryEncoder"/>); its documents still
/// go through the folder's MLM. <see cref="ModelLoader"/> asks this factory for
/// <see cref="EncoderRole.Query"/> only.
/// </summary>
public sealed class IdfQueryEncoderFactory : IEncoderFactory
{
    public string Name => "inference-free query encoder (idf.json)";

    public bool CanLoad(string directory) => IdfQueryEncoder.IsDocOnlyFolder(directory);

    public ISparseEncoder Load(string directory, SpladeEncoderOptions options, TextWriter? warnings)
    {
        ArgumentNullException.ThrowIfNull(options);
        return IdfQueryEncoder.Load(directory, options.MaxLength);
    }
}
