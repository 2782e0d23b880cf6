namespace Disco.Retrieval;

/// <summary>
/// How <see cref="ConversationalRetriever.SearchMany"/> runs a batch.
/// <para>Throughput (default): all texts go to the encoder at once (it sorts them by length into
/// batches), then the queries are searched on <see cref="Threads"/> threads.</para>
/// <para>Latencies: as SPLADE's retrieve measures them: after a warm-up query, texts are encoded
/// <see cref="EncodeBatchSize"/> at a time in input order (each query's encoding time is its
/// batch's divided by the batch size; 1 times each query alone) and searched one at a time.</para>
/// </summary>
/// <param name="Threads">Search threads in throughput mode (0: all cores).</param>
/// <param name="Latencies">Measure per-query encoding and search time.</param>
/// <param name="EncodeBatchSize">Queries encoded together when measuring latencies (default the encoder default, 32).</param>
public sealed record BatchSearchOptions(int Threads = 0, bool Latencies = false, int? EncodeBatchSize = null)
{
    /// <summary>Queries encoded so far (throughput mode: as the encoder finishes batches).</summary>
    public IProgress<long>? EncodeProgress { get; init; }

    /// <summary>Queries searched so far (latency mode: queries done).</summary>
    public IProgress<long>? SearchProgress { get; init; }
}
