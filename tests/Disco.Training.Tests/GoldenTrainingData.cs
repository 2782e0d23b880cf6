using System.Globalization;
using System.Text;
using System.Text.Json;
using Disco.TestSupport;

namespace Disco.Training.Tests;

/// <summary>
/// Turns the golden batch into training files: queries q0.., documents q{i}d{j}, the first
/// document of each group judged relevant, and a teacher run holding exactly the group's four
/// candidates with the golden teacher scores.
/// </summary>
internal sealed record GoldenTrainingData(string Queries, string Collection, string Qrels, string TeacherRun)
{
    /// <summary>DiSCo on the golden data from tiny-splade (other settings at DiSCo's defaults).</summary>
    public DiscoTrainingOptions Disco(TrainingLoopOptions loop) => new()
    {
        QueriesPath = Queries,
        CollectionPath = Collection,
        QrelsPath = Qrels,
        TeacherRunPath = TeacherRun,
        QueryModelDir = Fixtures.TinySplade,
        Loop = loop,
    };

    /// <summary>SPLADE's hard-negative mode on the golden data: the teacher run is the scored candidates.</summary>
    public SpladeTrainingOptions Splade(TrainingLoopOptions loop) => new()
    {
        QueriesPath = Queries,
        CollectionPath = Collection,
        QrelsPath = Qrels,
        HardNegativesPath = TeacherRun,
        ModelDir = Fixtures.TinySplade,
        Loop = loop,
    };

    /// <summary>Validation on the training data itself: each query re-ranks its four candidates.</summary>
    public TrainingLoopOptions Validating(TrainingLoopOptions loop) =>
        loop with { DevQueriesPath = Queries, DevQrelsPath = Qrels, DevRunPath = TeacherRun };

    public static GoldenTrainingData Write(JsonElement golden, TempDirectory dir)
    {
        var queries = new StringBuilder();
        var collection = new StringBuilder();
        var qrels = new StringBuilder();
        var run = new Dictionary<string, Dictionary<string, double>>();
        var index = 0;
        foreach (var item in golden.GetProperty("batch").EnumerateArray())
        {
            var qid = $"q{index}";
            queries.Append(qid).Append('\t').Append(item.GetProperty("query").GetString()).Append('\n');
            var docs = item.GetProperty("docs").EnumerateArray().Select(d => d.GetString()!).ToArray();
            var teacher = item.GetProperty("teacher").EnumerateArray().Select(t => t.GetDouble()).ToArray();
            run[qid] = [];
            for (var j = 0; j < docs.Length; j++)
            {
                var docId = $"{qid}d{j}";
                collection.Append(docId).Append('\t').Append(docs[j]).Append('\n');
                run[qid][docId] = teacher[j];
            }
            qrels.Append(CultureInfo.InvariantCulture, $"{qid} 0 {qid}d0 1\n");
            index++;
        }
        var data = new GoldenTrainingData(dir.File("queries.tsv"), dir.File("collection.tsv"), dir.File("qrels.txt"), dir.File("teacher.json"));
        File.WriteAllText(data.Queries, queries.ToString());
        File.WriteAllText(data.Collection, collection.ToString());
        File.WriteAllText(data.Qrels, qrels.ToString());
        File.WriteAllText(data.TeacherRun, JsonSerializer.Serialize(run));
        return data;
    }
}
