namespace Disco.Training;

/// <summary>How several teacher runs become one teacher score per (query, document).</summary>
public enum FusionMethod
{
    /// <summary>Mean of the per-query min-max normalised scores; a run without the document contributes 0.</summary>
    MinMaxMean,

    /// <summary>Mean of the raw scores over the runs that hold the document (the teachers share a scale, e.g. one SPLADE model scoring several rewrites).</summary>
    Mean,

    /// <summary>Maximum raw score over the runs that hold the document.</summary>
    Max,

    /// <summary>Reciprocal rank fusion Σ 1/(k + rank), rank from 1 (k = 60).</summary>
    Rrf,

    /// <summary>Dictionary union in the given order: a later run overwrites a document's score (DiSCo's <c>merge_run.py</c>).</summary>
    Union,
}
