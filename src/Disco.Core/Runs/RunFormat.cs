namespace Disco.Core.Runs;

/// <summary>The two layouts of runs and qrels: TREC columns, or SPLADE's nested JSON object.</summary>
public enum RunFormat
{
    /// <summary>Runs <c>qid Q0 docid rank score tag</c>; qrels <c>qid 0 docid relevance</c>.</summary>
    Trec,

    /// <summary><c>{qid: {docid: score}}</c> (runs) or <c>{qid: {docid: relevance}}</c> (qrels).</summary>
    Json,
}
