using Disco.Core.Runs;
using Disco.Core.Vectors;

namespace Disco.Cli.Retrieval;

/// <summary>One query's vector, ranked documents and latencies (milliseconds) split into encoding and search.</summary>
public sealed record RetrievedQuery(string Id, SparseVector Vector, IReadOnlyList<ScoredDocument> Hits, double EncodeMilliseconds, double SearchMilliseconds);
