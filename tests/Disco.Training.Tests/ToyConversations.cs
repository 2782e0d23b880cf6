using Disco.Core.Texts;
using Disco.TestSupport;

namespace Disco.Training.Tests;

/// <summary>
/// A tiny conversational distillation task from SPLADE's toy data: each "conversation" is an
/// MS MARCO query followed by an answer snippet and an unrelated earlier question, while the
/// teacher scores the plain query (the "rewrite") with tiny-splade over all 89 passages. The
/// student must learn to rank as if it had read the rewrite. Training queries come from the
/// triplets, held-out ones from the dev queries.
/// </summary>
internal sealed class ToyConversations
{
    private ToyConversations(TempDirectory dir) => Directory = dir;

    public TempDirectory Directory { get; }

    public string Collection => Directory.File("collection.tsv");

    public string TrainQueries => Directory.File("train_conversations.tsv");

    public string HeldOutQueries => Directory.File("heldout_conversations.tsv");

    /// <summary>The plain query of every conversation (train and held-out): what the teacher reads.</summary>
    public string Rewrites => Directory.File("rewrites.tsv");

    public IReadOnlyList<string> HeldOutIds { get; private set; } = [];

    private IReadOnlyList<string> TrainIds { get; set; } = [];

    private IReadOnlyList<string> PassageIds { get; set; } = [];

    public string TeacherRun => Directory.File("teacher.json");

    public string Qrels => Directory.File("qrels.txt");

    public static ToyConversations Create(TempDirectory dir)
    {
        var toy = new ToyConversations(dir);
        var passages = TextRecordFile.Read(Fixtures.Data("splade-toy", "full_collection", "raw.tsv")).ToList();
        File.WriteAllLines(toy.Collection, passages.Select(p => $"{p.Id}\t{p.Text.Trim()}"));
        var train = File.ReadLines(Fixtures.Data("splade-toy", "triplets", "raw.tsv"))
            .Select(l => l.Split('\t')[0].Trim()).Distinct().Select((q, i) => new TextRecord($"t{i}", q)).ToList();
        var heldOut = TextRecordFile.Read(Fixtures.Data("splade-toy", "dev_queries", "raw.tsv"))
            .DistinctBy(r => r.Id).Select(r => new TextRecord("h" + r.Id, r.Text.Trim())).ToList();
        WriteConversations(toy.TrainQueries, train, passages, salt: 1);
        WriteConversations(toy.HeldOutQueries, heldOut, passages, salt: 2);
        File.WriteAllLines(toy.Rewrites, train.Concat(heldOut).Select(q => $"{q.Id}\t{q.Text}"));
        toy.HeldOutIds = heldOut.Select(q => q.Id).ToArray();
        toy.TrainIds = train.Select(q => q.Id).ToArray();
        toy.PassageIds = passages.Select(p => p.Id).ToArray();
        return toy;
    }

    /// <summary>Every (query, passage) pair, train and held-out: what the teacher scores.</summary>
    public IEnumerable<(string QueryId, string DocumentId)> AllPairs() =>
        TrainIds.Concat(HeldOutIds).SelectMany(q => PassageIds.Select(p => (q, p)));

    /// <summary>Writes qrels marking each query's teacher top-1 as relevant.</summary>
    public void WriteQrelsFromTeacher(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> teacher) =>
        File.WriteAllLines(Qrels, teacher.Select(q => $"{q.Key} 0 {q.Value.OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).First().Key} 1"));

    private static void WriteConversations(string conversations, List<TextRecord> queries, List<TextRecord> passages, int salt)
    {
        var random = new TrainingRandom((ulong)salt);
        var flattened = new List<string>();
        foreach (var q in queries)
        {
            var other = queries[random.Next(queries.Count)].Text;
            var answer = string.Join(' ', passages[random.Next(passages.Count)].Text.Split(' ').Take(12));
            flattened.Add($"{q.Id}\t{q.Text} [SEP] {answer} [SEP] {other}");
        }
        File.WriteAllLines(conversations, flattened);
    }
}
