using Disco.Core;

namespace Disco.Modeling;

/// <summary>The model families this library builds, by <c>model_type</c>: the one place to add one.</summary>
public static class MaskedLmArchitectures
{
    /// <summary>Every supported architecture.</summary>
    public static IReadOnlyList<MaskedLmArchitecture> All { get; } = [new BertArchitecture(), new DistilBertArchitecture()];

    /// <summary>The supported <c>model_type</c> values.</summary>
    public static IReadOnlyList<string> ModelTypes { get; } = [.. All.Select(a => a.ModelType)];

    /// <summary>The architecture of a <c>model_type</c>; an unsupported one is a one-line error naming <paramref name="source"/>.</summary>
    public static MaskedLmArchitecture ForModelType(string modelType, string source) =>
        All.FirstOrDefault(a => a.ModelType == modelType)
        ?? throw new DiscoException($"{source}: model_type \"{modelType}\" is not supported (supported: {string.Join(", ", ModelTypes)})");

    /// <summary>Builds a randomly initialised model of the config's architecture.</summary>
    public static MaskedLanguageModel Create(MaskedLmConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ForModelType(config.ModelType, config.Source).Create(config);
    }
}
