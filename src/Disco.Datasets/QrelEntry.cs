namespace Disco.Datasets;

/// <summary>One relevance judgment: query id, document id and graded relevance (TREC qrels line).</summary>
public sealed record QrelEntry(string QueryId, string DocId, int Relevance);
