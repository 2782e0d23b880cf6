using Disco.Core;
using Disco.Core.Runs;
using Disco.Core.Vectors;
using Disco.Text;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// Classic SPLADE training (spec §3) as a <see cref="TrainingLoop"/> recipe, with one shared encoder
/// for queries and documents: InBatchPairwiseNLL, DistilMarginMSE or DistilKL, plus FLOPS on
/// documents and L1 on queries with the reference's quadratic warmup λ·min(1, (t/T)²). The model is
/// saved as <c>model/</c>.
/// </summary>
public sealed class SpladeRecipe : ITrainingRecipe
{
    /// <summary>The recipe's name in <c>trainer_state.json</c>.</summary>
    public const string RecipeName = "splade";

    private const string Prefix = nameof(SpladeTrainingOptions) + ".";
    private const int ValidationBatchSize = 32;

    private readonly SpladeTrainingOptions _options;
    private readonly string _modelDir;
    private readonly List<TrainingTriplet>? _triplets;
    private readonly HardNegativeSampler? _hardNegatives;
    private readonly Dictionary<string, string>? _collection;
    private readonly RepresentationEncoder _encoder;

    /// <param name="options">data, model and loss; <see cref="SpladeTrainingOptions.Loop"/> gives the device</param>
    /// <param name="warnings">receives checkpoint-loading warnings; null: nowhere</param>
    public SpladeRecipe(SpladeTrainingOptions options, TextWriter? warnings = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _modelDir = TrainingOptionChecks.Path(options.ModelDir, Prefix + nameof(options.ModelDir));
        TrainingOptionChecks.Dropout(options.Dropout, Prefix + nameof(options.Dropout));
        TrainingOptionChecks.MaxLength(options.MaxLength, Prefix + nameof(options.MaxLength));
        if (options.CollectionPath is not null)
            _collection = TrainingQueries.ReadCollection(options.CollectionPath);
        if (options.TripletsPath is not null)
        {
            _triplets = TripletFile.Read(options.TripletsPath);
            if (options.Loss != PairwiseLoss.InBatchNll && _triplets.Any(t => t.TeacherPositive is null))
                throw new DiscoException($"{options.TripletsPath}: loss {options.Loss} needs teacher scores (5 columns per line)");
        }
        else if (options.QueriesPath is not null && _collection is not null && options.QrelsPath is not null && options.HardNegativesPath is not null)
        {
            _hardNegatives = new HardNegativeSampler(
                TrainingQueries.Read(options.QueriesPath), _collection, Qrels.Read(options.QrelsPath), Run.Read(options.HardNegativesPath));
        }
        else
        {
            throw new DiscoException($"{nameof(SpladeTrainingOptions)} needs {nameof(options.TripletsPath)}, or {nameof(options.QueriesPath)}, {nameof(options.CollectionPath)}, {nameof(options.QrelsPath)} and {nameof(options.HardNegativesPath)}");
        }
        if (options.Loop.Validates && _collection is null)
            throw new DiscoException($"validation needs {Prefix}{nameof(options.CollectionPath)}: the texts of the candidates to re-rank");

        var device = TrainingModels.ResolveDevice(options.Loop.Device);
        var model = TrainingModels.Load(_modelDir, options.Dropout, device, warnings);
        try
        {
            model.train();
            _encoder = new RepresentationEncoder(model, WordPieceTokenizer.FromDirectory(_modelDir), options.MaxLength, device);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public string Name => RecipeName;

    public object Options => _options;

    /// <summary>Triplets, or queries with a positive and hard-negative candidates.</summary>
    public int ItemCount => _triplets?.Count ?? _hardNegatives!.Count;

    public nn.Module Trainable => _encoder.Model;

    /// <summary>The shared encoder being trained.</summary>
    public RepresentationEncoder Encoder => _encoder;

    public IReadOnlyDictionary<string, double> Counters { get; } = new Dictionary<string, double>();

    public RecipeLoss Loss(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var options = _options;
        var items = batch.Items.Select(i => _triplets is not null ? _triplets[i] : _hardNegatives!.Sample(i, batch.RandomFor(i))).ToArray();
        var queries = _encoder.Represent([.. items.Select(t => t.Query)]);
        var positives = _encoder.Represent([.. items.Select(t => t.Positive)]);
        var negatives = _encoder.Represent([.. items.Select(t => t.Negative)]);
        var sPos = (queries * positives).sum(1);
        var sNeg = (queries * negatives).sum(1);
        Tensor Teacher(Func<TrainingTriplet, float?> pick) => tensor(items.Select(t => pick(t) ?? 0f).ToArray()).to(queries.device);
        var rankingLoss = options.Loss switch
        {
            PairwiseLoss.MarginMse => PairwiseLosses.DistilMarginMse(sPos, sNeg, Teacher(t => t.TeacherPositive), Teacher(t => t.TeacherNegative)),
            PairwiseLoss.Kl => PairwiseLosses.DistilKl(sPos, sNeg, Teacher(t => t.TeacherPositive), Teacher(t => t.TeacherNegative)),
            _ => PairwiseLosses.InBatchPairwiseNll(queries, positives, negatives),
        };
        // SPLADE steps its regulariser schedule once per forward pass, i.e. per micro-batch.
        var lambdaD = SparseRegularizer.RampedLambda(options.LambdaDocument, options.WarmupDocument, batch.LossCall);
        var lambdaQ = SparseRegularizer.RampedLambda(options.LambdaQuery, options.WarmupQuery, batch.LossCall);
        var flops = (SparseRegularizer.Flops(positives) + SparseRegularizer.Flops(negatives)) / 2;
        var l1 = SparseRegularizer.L1(queries);
        var total = rankingLoss + (lambdaD * flops) + (lambdaQ * l1);
        return new RecipeLoss(total, new Dictionary<string, double>
        {
            ["ranking_loss"] = rankingLoss.item<float>(),
            ["flops"] = flops.item<float>(),
            ["l1"] = l1.item<float>(),
            ["lambda_d"] = lambdaD,
            ["lambda_q"] = lambdaQ,
            ["L0_q"] = SparseRegularizer.L0(queries),
            ["L0_d"] = (SparseRegularizer.L0(positives) + SparseRegularizer.L0(negatives)) / 2,
        });
    }

    public void SaveModels(string modelDirectory) => TrainingModels.Save(_encoder.Model, modelDirectory, _modelDir);

    public void RestoreModels(string modelDirectory) => TrainingModels.Restore(_encoder.Model, modelDirectory);

    /// <summary>Re-encodes the candidates with the current shared encoder (each once per validation).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ScoreCandidates(IReadOnlyList<ValidationQuery> queries)
    {
        var collection = _collection ?? throw new InvalidOperationException("validation needs the collection");
        var vectors = new Dictionary<string, SparseVector>(StringComparer.Ordinal);
        IReadOnlyList<SparseVector> Documents(IReadOnlyList<string> ids)
        {
            foreach (var chunk in ids.Where(id => !vectors.ContainsKey(id)).Distinct(StringComparer.Ordinal).Chunk(ValidationBatchSize))
            {
                var encoded = _encoder.Sparse([.. chunk.Select(id => collection.TryGetValue(id, out var text) ? text : throw new DiscoException($"{_options.CollectionPath}: document '{id}' not found"))]);
                for (var i = 0; i < chunk.Length; i++)
                    vectors[chunk[i]] = encoded[i];
            }
            return [.. ids.Select(id => vectors[id])];
        }
        return SparseCandidateScoring.Score(_encoder, Documents, queries);
    }

    public void Dispose() => _encoder.Model.Dispose();
}
