namespace Disco.Retrieval;

/// <summary>
/// How <see cref="ConversationalRetriever.EncodeAsync"/> gathers queries from concurrent callers
/// into one encoder call: after the first query arrives, it waits <paramref name="WindowMilliseconds"/>
/// for others (not at all when <paramref name="MaxBatchSize"/> are already waiting), then encodes
/// up to <paramref name="MaxBatchSize"/> together. Queries that arrive while a batch is being
/// encoded form the next one, so batches grow with load.
/// </summary>
/// <param name="WindowMilliseconds">How long the first query of a batch waits for company; 0 encodes at once what is waiting.</param>
/// <param name="MaxBatchSize">Most queries in one encoder call.</param>
public sealed record MicroBatchOptions(double WindowMilliseconds = MicroBatchOptions.DefaultWindowMilliseconds, int MaxBatchSize = Modeling.SpladeEncoderOptions.DefaultBatchSize)
{
    public const double DefaultWindowMilliseconds = 2;

    /// <summary>Throws when a value cannot work; messages name the property.</summary>
    public void Validate()
    {
        if (!(WindowMilliseconds >= 0 && WindowMilliseconds <= 10_000))
            throw new Core.DiscoException($"{nameof(WindowMilliseconds)} must be between 0 and 10000, got {WindowMilliseconds}");
        if (MaxBatchSize < 1)
            throw new Core.DiscoException($"{nameof(MaxBatchSize)} must be at least 1, got {MaxBatchSize}");
    }
}
