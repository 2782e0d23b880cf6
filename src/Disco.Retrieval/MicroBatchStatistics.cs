namespace Disco.Retrieval;

/// <summary>Encoder calls made for micro-batched queries and the queries they encoded (mean batch size = Queries / Batches).</summary>
public sealed record MicroBatchStatistics(long Batches, long Queries);
