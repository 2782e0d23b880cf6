namespace Disco.Core.Vectors;

/// <summary>How SPLADE pools per-token term weights into one vector.</summary>
public enum SpladeAggregation
{
    /// <summary>Maximum over tokens (SPLADE v2, SPLADE++, DiSCo).</summary>
    Max,

    /// <summary>Sum over tokens (SPLADE v1).</summary>
    Sum,
}
