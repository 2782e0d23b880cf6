using System.Globalization;
using Disco.Core;

namespace Disco.Modeling;

/// <summary>
/// Upper bounds on the sizes a model config may declare, far above any released BERT-family
/// checkpoint yet small enough that a hostile or mistyped config (<c>num_hidden_layers: 1000000</c>)
/// is refused before anything is allocated; and a check that the parameters fit in memory.
/// </summary>
public static class ModelLimits
{
    /// <summary>Largest vocabularies in use are ~256K (multilingual LLMs); 4M.</summary>
    public const int MaxVocabSize = 1 << 22;

    /// <summary>Largest hidden sizes in use are ~16K; 32K.</summary>
    public const int MaxHiddenSize = 1 << 15;

    public const int MaxLayers = 1024;

    public const int MaxAttentionHeads = 1024;

    public const int MaxIntermediateSize = 1 << 18;

    public const int MaxPositions = 1 << 20;

    public const int MaxTypeVocabSize = 1 << 12;

    /// <summary>
    /// Refuses a model whose float32 parameters alone would take more memory than the process can
    /// have, before it is built; <paramref name="parameters"/> is the architecture's parameter count.
    /// </summary>
    public static void CheckParameterMemory(long parameters, string source, long? availableBytes = null)
    {
        var bytes = parameters * sizeof(float);
        var available = availableBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available)
        {
            throw new DataFormatException(source, 0,
                $"the model would need {Gigabytes(bytes)} GB for its {parameters.ToString(CultureInfo.InvariantCulture)} parameters, more than the {Gigabytes(available)} GB available; check the sizes in the config");
        }
    }

    private static string Gigabytes(long bytes) => (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture);
}
