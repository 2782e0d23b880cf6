using Disco.Core;
using Disco.Core.Reranking;
using Disco.Core.Runs;
using Disco.Modeling;
using Disco.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// Cross-encoder (reranker) training as a <see cref="TrainingLoop"/> recipe: each item is a query
/// with one positive and N negatives, scored as <c>[CLS] q [SEP] p [SEP]</c> pairs by a
/// <c>BertForSequenceClassification</c> or <c>DistilBertForSequenceClassification</c> with one logit, under <see cref="CrossEncoderLosses"/>
/// (listwise/pairwise softmax CE, pointwise BCE, KL or MarginMSE distillation from teacher
/// scores). Items are triplets (one negative; teacher scores from columns 4-5) or drawn from a
/// first-stage run with qrels by <see cref="DistillationSampler"/> (a random positive, negatives
/// from the run's ranks, the run's scores as teacher). The model is saved as <c>model/</c> in
/// HuggingFace layout (config.json naming the architecture's sequence classifier, one label).
/// </summary>
public sealed class CrossEncoderRecipe : ITrainingRecipe
{
    public const string RecipeName = "cross-encoder";

    private const string Prefix = nameof(CrossEncoderTrainingOptions) + ".";

    private readonly CrossEncoderTrainingOptions _options;
    private readonly string _modelDir;
    private readonly List<TrainingTriplet>? _triplets;
    private readonly DistillationSampler? _sampler;
    private readonly Dictionary<string, string>? _collection;
    private readonly SequenceClassificationModel _model;
    private readonly CrossEncoder _scorer;

    /// <param name="warnings">receives checkpoint-loading warnings (e.g. a new classifier); null: nowhere</param>
    public CrossEncoderRecipe(CrossEncoderTrainingOptions options, TextWriter? warnings = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _modelDir = TrainingOptionChecks.Path(options.ModelDir, Prefix + nameof(options.ModelDir));
        TrainingOptionChecks.Dropout(options.Dropout, Prefix + nameof(options.Dropout));
        TrainingOptionChecks.MaxLength(options.MaxLength, Prefix + nameof(options.MaxLength));
        if (options.CollectionPath is not null)
            _collection = TrainingQueries.ReadCollection(options.CollectionPath);
        var distills = options.Loss is CrossEncoderLoss.Kl or CrossEncoderLoss.MarginMse;
        if (options.TripletsPath is not null)
        {
            _triplets = TripletFile.Read(options.TripletsPath);
            if (distills && _triplets.Any(t => t.TeacherPositive is null))
                throw new DiscoException($"{options.TripletsPath}: loss {options.Loss} needs teacher scores (5 columns per line)");
        }
        else if (options.QueriesPath is not null && _collection is not null && options.QrelsPath is not null && options.RunPath is not null)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(options.Negatives, 1, Prefix + nameof(options.Negatives));
            _sampler = new DistillationSampler(TrainingQueries.Read(options.QueriesPath, options.Flattening), Qrels.Read(options.QrelsPath),
                Run.Read(options.RunPath), options.Negatives, options.Window, _collection.ContainsKey);
            _sampler.EnsureNotEmpty("cross-encoder training");
        }
        else
        {
            throw new DiscoException($"{nameof(CrossEncoderTrainingOptions)} needs {nameof(options.TripletsPath)}, or {nameof(options.QueriesPath)}, {nameof(options.CollectionPath)}, {nameof(options.QrelsPath)} and {nameof(options.RunPath)}");
        }
        if (options.Loop.Validates && _collection is null)
            throw new DiscoException($"validation needs {Prefix}{nameof(options.CollectionPath)}: the texts of the candidates to re-rank");

        var device = TrainingModels.ResolveDevice(options.Loop.Device);
        _model = CrossEncoderCheckpoint.LoadForTraining(_modelDir, out _, warnings, options.Dropout);
        try
        {
            _model.to(device);
            _model.train();
            _scorer = new CrossEncoder(_model, WordPieceTokenizer.FromDirectory(_modelDir), new CrossEncoderOptions(options.MaxLength));
        }
        catch
        {
            _model.Dispose();
            throw;
        }
    }

    public string Name => RecipeName;

    public object Options => _options;

    /// <summary>Triplets, or queries of the run with a positive and candidates.</summary>
    public int ItemCount => _triplets?.Count ?? _sampler!.Count;

    public nn.Module Trainable => _model;

    /// <summary>The model being trained.</summary>
    public SequenceClassificationModel Model => _model;

    public IReadOnlyDictionary<string, double> Counters { get; } = new Dictionary<string, double>();

    public RecipeLoss Loss(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var groups = batch.Items.Select(i => Group(i, batch.RandomFor(i))).ToArray();
        var width = groups[0].Passages.Count;
        var pairs = groups.SelectMany(g => g.Passages.Select(p => _scorer.Encode(new QueryPassagePair(g.Query, p)))).ToArray();
        using var inputs = PairBatch.Create(pairs, _scorer.Tokenizer.PadId, _scorer.Device);
        var scores = _model.call(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds).view(groups.Length, width);
        Tensor? teacher = null;
        if (_options.Loss is CrossEncoderLoss.Kl or CrossEncoderLoss.MarginMse)
            teacher = tensor(groups.SelectMany(g => g.Teacher!).ToArray(), [groups.Length, width]).to(scores.device);
        var total = CrossEncoderLosses.Compute(_options.Loss, scores, teacher);
        return new RecipeLoss(total, new Dictionary<string, double> { ["ranking_loss"] = total.item<float>() });
    }

    /// <summary>Query text, passages (positive first) and their teacher scores (null when the triplets have none).</summary>
    private (string Query, IReadOnlyList<string> Passages, IReadOnlyList<float>? Teacher) Group(int item, TrainingRandom random)
    {
        if (_triplets is not null)
        {
            var t = _triplets[item];
            return (t.Query, [t.Positive, t.Negative], t.TeacherPositive is { } tp && t.TeacherNegative is { } tn ? [tp, tn] : null);
        }
        var group = _sampler!.Sample(item, random);
        return (group.QueryText, [.. group.DocumentIds.Select(id => _collection![id])], group.TeacherScores);
    }

    public void SaveModels(string modelDirectory) => CrossEncoderCheckpoint.Save(_model, modelDirectory, _modelDir);

    public void RestoreModels(string modelDirectory)
    {
        using var saved = CrossEncoderCheckpoint.Load(modelDirectory, out var report);
        if (report.Warnings.Count > 0)
            throw new DiscoException($"{modelDirectory}: not a checkpoint of this model ({report.Warnings[0]})");
        using (no_grad())
            _model.load_state_dict(saved.state_dict());
    }

    /// <summary>Scores each validation query's candidates with the current model (evaluation mode, batched by length).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ScoreCandidates(IReadOnlyList<ValidationQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var collection = _collection ?? throw new InvalidOperationException("validation needs the collection");
        var pairs = queries.SelectMany(q => q.DocumentIds.Select(id => new QueryPassagePair(q.Text,
            collection.TryGetValue(id, out var text) ? text : throw new DiscoException($"{_options.CollectionPath}: document '{id}' not found")))).ToArray();
        var scores = _scorer.Score(pairs);
        var result = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        var at = 0;
        foreach (var q in queries)
        {
            var byDoc = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var id in q.DocumentIds)
                byDoc[id] = scores[at++];
            result[q.Id] = byDoc;
        }
        return result;
    }

    public void Dispose() => _model.Dispose();
}
