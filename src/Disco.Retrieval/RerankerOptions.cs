using Disco.Core;
using Disco.Core.Conversations;

namespace Disco.Retrieval;

/// <summary>How <see cref="Reranker"/> reranks a first-stage ranking.</summary>
/// <param name="Depth">The first-stage documents rescored per query; the rest keep their order below them.</param>
/// <param name="Flattening">How a conversation becomes the query text (as for the query encoder).</param>
/// <param name="UseRewrite">Use each conversation's rewrite (a self-contained question) instead of flattening it.</param>
public sealed record RerankerOptions(int Depth = RerankerOptions.DefaultDepth, FlatteningOptions? Flattening = null, bool UseRewrite = false)
{
    /// <summary>The usual reranking depth (MS MARCO and CAsT rerank the top 100).</summary>
    public const int DefaultDepth = 100;

    /// <summary>Throws when a value cannot work; messages name the property.</summary>
    public void Validate()
    {
        if (Depth < 1)
            throw new DiscoException($"{nameof(Depth)} must be at least 1, got {Depth}");
    }
}
