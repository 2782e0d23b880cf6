namespace Disco.Training;

/// <summary>
/// SPLADE's <c>hard_negatives</c> mode: per query, one positive from the qrels and one negative
/// from the scored candidates minus the positives; teacher scores come from the same file
/// (a positive it lacks gets the best candidate score, as the DiSCo sampler does).
/// </summary>
public sealed class HardNegativeSampler
{
    private readonly DistillationSampler _sampler;
    private readonly IReadOnlyDictionary<string, string> _collection;

    public HardNegativeSampler(
        IReadOnlyDictionary<string, string> queries,
        IReadOnlyDictionary<string, string> collection,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> scores)
    {
        _collection = collection ?? throw new ArgumentNullException(nameof(collection));
        _sampler = new DistillationSampler(queries, qrels, scores, negatives: 1, new RankWindow(0, int.MaxValue), collection.ContainsKey);
        _sampler.EnsureNotEmpty("hard negatives");
    }

    public int Count => _sampler.Count;

    public TrainingTriplet Sample(int index, TrainingRandom random)
    {
        var group = _sampler.Sample(index, random);
        return new TrainingTriplet(
            group.QueryText,
            _collection[group.DocumentIds[0]],
            _collection[group.DocumentIds[1]],
            group.TeacherScores[0],
            group.TeacherScores[1]);
    }
}
