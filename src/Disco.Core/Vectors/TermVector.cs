namespace Disco.Core.Vectors;

/// <summary>A named sparse vector whose terms are vocabulary strings (the vectors JSONL record).</summary>
public sealed record TermVector(string Id, string[] Terms, float[] Weights);
