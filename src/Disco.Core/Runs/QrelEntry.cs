namespace Disco.Core.Runs;

/// <summary>One relevance judgment: query id, document id and graded relevance (a TREC qrels line).</summary>
public sealed record QrelEntry(string QueryId, string DocId, int Relevance);
