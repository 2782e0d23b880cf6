// Conversational search inside a .NET program: the DiSCo encoders by HuggingFace id, an index of a
// collection, a conversation answered with the terms that matched, and a run evaluated.
// Usage: dotnet run -- DATA WORK   (DATA holds collection.tsv, conversations.jsonl, qrels.trec)
using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Core.Runs;
using Disco.Core.Texts;
using Disco.Evaluation;
using Disco.Index;
using Disco.Retrieval;

var data = args.Length > 0 ? args[0] : "data";
var work = args.Length > 1 ? args[1] : "disco-example";
Directory.CreateDirectory(work);

// 1. The DiSCo pair by id, through the HuggingFace cache (HF_HOME; downloads what is missing):
//    SPLADE++ encodes passages, DiSCo's distilled encoder reads whole conversations.
var loader = new ModelLoader();
using var documentEncoder = await loader.LoadAsync("naver/splade-cocondenser-ensembledistil", EncoderRole.Document);
using var queryEncoder = await loader.LoadAsync("slupart/splade-disco-topiocqa-mistral", EncoderRole.Query);

// 2. Index a collection (any IEnumerable<TextRecord>; here a TSV file of id<TAB>text).
var indexDirectory = Path.Combine(work, "index");
IndexBuilder.FromRecords(TextRecordFile.Read(Path.Combine(data, "collection.tsv")), documentEncoder, indexDirectory);
using var index = SparseIndex.Open(indexDirectory);

// 3. Answer the last turn of a conversation; the history is part of the query.
var retriever = new ConversationalRetriever(queryEncoder, index);
var conversation = new Conversation("demo", [
    new Turn("How does sourdough bread rise?", "A starter of wild yeast and lactic acid bacteria makes it rise."),
    new Turn("How do I keep it alive?"),
]);
var answer = retriever.Search(conversation, topK: 3);
Console.WriteLine($"query text: {answer.Query.Text}");
Console.WriteLine($"query terms: {string.Join(", ", answer.Query.Terms.Take(5).Select(t => $"{t.Token} {t.Weight:F2}"))}");
foreach (var hit in ConversationalRetriever.Explain(answer))
{
    var matched = hit.MatchedTerms!.Take(5).Select(t => $"{t.Token} {t.QueryWeight:F2}x{t.DocumentWeight:F2}");
    Console.WriteLine($"hit {hit.DocumentId} {hit.Score:F4} matched: {string.Join(", ", matched)}");
}

// 4. Search every conversation of a file, write the run, evaluate it (trec_eval's measures).
var queries = QueryFile.Read(Path.Combine(data, "conversations.jsonl"));
var run = retriever.SearchMany(queries, new SearchOptions(TopK: 100)).ToRun();
run.Write(Path.Combine(work, "run.trec"));
var evaluation = Evaluator.Evaluate(Qrels.Read(Path.Combine(data, "qrels.trec")), run, MeasureSet.Parse(["mrr_10", "ndcg_cut_3"]));
Console.WriteLine($"evaluated {evaluation.Queries.Count} queries: mrr_10 {evaluation["mrr_10"]:F4} ndcg_cut_3 {evaluation["ndcg_cut_3"]:F4}");
