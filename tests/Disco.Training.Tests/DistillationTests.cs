using Disco.Modeling;
using Disco.TestSupport;
using static TorchSharp.torch;

namespace Disco.Training.Tests;

public sealed class DistillationTests
{
    // Short texts keep the test fast; the task does not depend on passage tails.
    private const int MaxLength = 32;

    [Fact]
    public void ShortDistillationMakesTheStudentAgreeBetterWithTheTeacherOnHeldOutQueries()
    {
        using var dir = new TempDirectory();
        var toy = ToyConversations.Create(dir);
        var teacher = ScoreWithTheTeacher(toy);
        toy.WriteQrelsFromTeacher(teacher);

        var output = dir.File("out");
        Train.Disco(new DiscoTrainingOptions
        {
            QueriesPath = toy.TrainQueries,
            CollectionPath = toy.Collection,
            QrelsPath = toy.Qrels,
            TeacherRunPath = toy.TeacherRun,
            QueryModelDir = Fixtures.TinySplade,
            Negatives = 8,
            Window = new RankWindow(1, 89),
            Dropout = 0,
            MaxLength = MaxLength,
            Loop = DiscoTrainingOptions.DefaultLoop with
            {
                OutputDir = output,
                BatchSize = 10,
                LearningRate = 2e-3,
                Schedule = LearningRateShape.Constant,
                WarmupRatio = 0,
                Epochs = 1,
                MaxSteps = 5,
            },
        });

        var before = Disagreement(Fixtures.TinySplade, toy, teacher);
        var after = Disagreement(Path.Combine(output, "model", "query"), toy, teacher);
        TestContext.Current.TestOutputHelper?.WriteLine($"held-out KL {before:F4} → {after:F4}");
        Assert.True(after < 0.7 * before, $"held-out KL(teacher ‖ student) {before:F4} → {after:F4}");
    }

    /// <summary>The teacher: tiny-splade scores each plain query (the rewrite) against every passage; written as the teacher run.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, double>> ScoreWithTheTeacher(ToyConversations toy)
    {
        using var encoder = SpladeEncoder.Load(Fixtures.TinySplade, new SpladeEncoderOptions(MaxLength: MaxLength));
        var scorer = new TeacherScorer(encoder);
        var (run, _) = scorer.Complete(TrainingQueries.Read(toy.Rewrites), TrainingQueries.ReadCollection(toy.Collection), toy.AllPairs(), existing: null);
        var teacher = run.ToDictionary(q => q.Key, q => (IReadOnlyDictionary<string, double>)q.Value, StringComparer.Ordinal);
        File.WriteAllText(toy.TeacherRun, System.Text.Json.JsonSerializer.Serialize(run));
        return teacher;
    }

    /// <summary>Mean KL(softmax(teacher) ‖ softmax(student)) over all passages, on held-out conversations.</summary>
    private static double Disagreement(string queryModelDir, ToyConversations toy, Dictionary<string, IReadOnlyDictionary<string, double>> teacher)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var conversations = TrainingQueries.Read(toy.HeldOutQueries);
        var collection = TrainingQueries.ReadCollection(toy.Collection);
        var docIds = collection.Keys.Order(StringComparer.Ordinal).ToArray();
        // Scored with the inference encoder, which also shows the saved query encoder loads as a model.
        using var queryEncoder = SpladeEncoder.Load(queryModelDir, new SpladeEncoderOptions(MaxLength: MaxLength));
        using var documentEncoder = SpladeEncoder.Load(Fixtures.TinySplade, new SpladeEncoderOptions(MaxLength: MaxLength));
        var q = queryEncoder.Encode([.. toy.HeldOutIds.Select(id => conversations[id])]);
        var d = documentEncoder.Encode([.. docIds.Select(id => collection[id])]);
        var student = tensor(q.SelectMany(qv => d.Select(dv => (float)qv.Dot(dv))).ToArray(), [q.Count, d.Count]);
        var teacherScores = tensor(toy.HeldOutIds.SelectMany(id => docIds.Select(doc => (float)teacher[id][doc])).ToArray(), [toy.HeldOutIds.Count, docIds.Length]);
        var logTeacher = nn.functional.log_softmax(teacherScores, 1);
        var kl = (logTeacher.exp() * (logTeacher - nn.functional.log_softmax(student, 1))).sum(1).mean();
        return kl.item<float>();
    }
}
