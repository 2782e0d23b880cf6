namespace Disco.Core.Runs;

/// <summary>
/// A retrieved document with its score. Scores are doubles so runs read from files keep every
/// digit (trec_eval parses them as doubles); scores from search are floats widened exactly.
/// </summary>
public readonly record struct ScoredDocument(string DocId, double Score);
