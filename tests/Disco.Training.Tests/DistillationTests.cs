using Disco.Core.Runs;
using Disco.Modeling;
using Disco.TestSupport;
using Disco.Text;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

public sealed class DistillationTests
{
    // Short texts keep the test fast; the task does not depend on passage tails.
    private const string MaxLength = "64";

    [Fact]
    public void ShortDistillationMakesTheStudentAgreeBetterWithTheTeacherOnHeldOutQueries()
    {
        using var dir = new TempDirectory();
        var toy = ToyConversations.Create(dir);
        Assert.Equal(0, CliRunner.Run(
            "teacher", "score", "--rewrites", toy.Rewrites, "--collection", toy.Collection,
            "--model", Fixtures.TinySplade, "--pairs", toy.Pairs, "--out", toy.TeacherRun, "--max-length", MaxLength));
        var teacher = Run.Read(toy.TeacherRun);
        toy.WriteQrelsFromTeacher(teacher);

        var output = dir.File("out");
        Assert.Equal(0, CliRunner.Run(
            "train", "--queries", toy.TrainQueries, "--collection", toy.Collection, "--qrels", toy.Qrels,
            "--teacher-run", toy.TeacherRun, "--query-model", Fixtures.TinySplade, "--out", output,
            "--batch-size", "10", "--negatives", "8", "--rank-window", "1:89", "--lr", "2e-3",
            "--lr-schedule", "constant", "--warmup-ratio", "0", "--dropout", "0", "--epochs", "2", "--max-length", MaxLength));

        var before = Disagreement(Fixtures.TinySplade, toy, teacher);
        var after = Disagreement(Path.Combine(output, "model", "query"), toy, teacher);
        TestContext.Current.TestOutputHelper?.WriteLine($"held-out KL {before:F4} → {after:F4}");
        Assert.True(after < 0.7 * before, $"held-out KL(teacher ‖ student) {before:F4} → {after:F4}");
    }

    /// <summary>Mean KL(softmax(teacher) ‖ softmax(student)) over all passages, on held-out conversations.</summary>
    private static double Disagreement(string queryModelDir, ToyConversations toy, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> teacher)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var conversations = TrainingQueries.Read(toy.HeldOutQueries);
        var collection = TrainingQueries.ReadCollection(toy.Collection);
        var docIds = collection.Keys.Order(StringComparer.Ordinal).ToArray();
        using var queryModel = HfCheckpoint.Load(queryModelDir, out _, null);
        using var docModel = HfCheckpoint.Load(Fixtures.TinySplade, out _, null);
        var tokenizer = WordPieceTokenizer.FromDirectory(Fixtures.TinySplade);
        var q = new RepresentationEncoder(queryModel, tokenizer, int.Parse(MaxLength, System.Globalization.CultureInfo.InvariantCulture), CPU).Represent([.. toy.HeldOutIds.Select(id => conversations[id])]);
        var d = new RepresentationEncoder(docModel, tokenizer, int.Parse(MaxLength, System.Globalization.CultureInfo.InvariantCulture), CPU).Represent([.. docIds.Select(id => collection[id])]);
        var student = q.matmul(d.t());
        var teacherScores = tensor(toy.HeldOutIds.SelectMany(id => docIds.Select(doc => (float)teacher[id][doc])).ToArray(), [toy.HeldOutIds.Count, docIds.Length]);
        var logTeacher = nn.functional.log_softmax(teacherScores, 1);
        var kl = (logTeacher.exp() * (logTeacher - nn.functional.log_softmax(student, 1))).sum(1).mean();
        return kl.item<float>();
    }
}
