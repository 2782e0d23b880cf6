namespace Disco.Retrieval;

/// <summary>The encoder backends <see cref="ModelLoader"/> knows by default, most specific first.</summary>
public static class EncoderFactories
{
    /// <summary>
    /// Asked in order; the first factory that can load a folder loads it. A new backend adds its
    /// factory here, ahead of the ones whose files it shares.
    /// </summary>
    public static IReadOnlyList<IEncoderFactory> Default { get; } = [new SpladeEncoderFactory()];
}
