using Disco.Core;
using Disco.Core.Runs;
using Disco.Modeling;
using Disco.Text;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// DiSCo distillation (spec §2) as a <see cref="TrainingLoop"/> recipe: a trainable query encoder
/// reads the whole conversation and learns to reproduce, over sampled candidates, the scores a
/// teacher (an LLM rewrite scored by SPLADE) gives; the document encoder stays frozen. Models are
/// saved in DiSCo's layout: <c>model/</c> = document encoder, <c>model/query/</c> = query encoder.
/// </summary>
public sealed class DiscoRecipe : ITrainingRecipe
{
    /// <summary>The recipe's name in <c>trainer_state.json</c>.</summary>
    public const string RecipeName = DiscoModelLayout.QueryEncoderRecipe;

    private readonly DiscoTrainingOptions _options;
    private readonly string _queryModelDir;
    private readonly string _documentModelDir;
    private readonly string _collectionPath;
    private readonly Dictionary<string, string> _collection;
    private readonly DistillationSampler _sampler;
    private readonly RepresentationEncoder _queryEncoder;
    private readonly RepresentationEncoder _documentEncoder;
    private readonly DocumentRepresentationCache _documents;

    /// <param name="options">data, models and loss; <see cref="DiscoTrainingOptions.Loop"/> gives the device</param>
    /// <param name="warnings">receives checkpoint-loading warnings (missing or unexpected weights); null: nowhere</param>
    public DiscoRecipe(DiscoTrainingOptions options, TextWriter? warnings = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        const string Prefix = nameof(DiscoTrainingOptions) + ".";
        var queriesPath = TrainingOptionChecks.Path(options.QueriesPath, Prefix + nameof(options.QueriesPath));
        _collectionPath = TrainingOptionChecks.Path(options.CollectionPath, Prefix + nameof(options.CollectionPath));
        var qrelsPath = TrainingOptionChecks.Path(options.QrelsPath, Prefix + nameof(options.QrelsPath));
        var teacherPath = TrainingOptionChecks.Path(options.TeacherRunPath, Prefix + nameof(options.TeacherRunPath));
        _queryModelDir = TrainingOptionChecks.Path(options.QueryModelDir, Prefix + nameof(options.QueryModelDir));
        _documentModelDir = options.DocumentModelDir ?? _queryModelDir;
        TrainingOptionChecks.AtLeastOne(options.Negatives, Prefix + nameof(options.Negatives));
        TrainingOptionChecks.Dropout(options.Dropout, Prefix + nameof(options.Dropout));
        TrainingOptionChecks.MaxLength(options.MaxLength, Prefix + nameof(options.MaxLength));
        var device = TrainingModels.ResolveDevice(options.Loop.Device);

        _collection = TrainingQueries.ReadCollection(_collectionPath);
        _sampler = new DistillationSampler(TrainingQueries.Read(queriesPath), Qrels.Read(qrelsPath), Run.Read(teacherPath),
            options.Negatives, options.Window, _collection.ContainsKey);
        _sampler.EnsureNotEmpty(teacherPath);

        var queryModel = TrainingModels.Load(_queryModelDir, options.Dropout, device, warnings);
        MaskedLanguageModel? documentModel = null;
        try
        {
            queryModel.train();
            documentModel = TrainingModels.Load(_documentModelDir, null, device, warnings);
            // The document encoder is frozen and stays in eval mode (no dropout), as freeze_d_model does.
            documentModel.eval();
            foreach (var p in documentModel.parameters())
                p.requires_grad = false;
            _queryEncoder = new RepresentationEncoder(queryModel, WordPieceTokenizer.FromDirectory(_queryModelDir), options.MaxLength, device);
            _documentEncoder = new RepresentationEncoder(documentModel, WordPieceTokenizer.FromDirectory(_documentModelDir), options.MaxLength, device);
            EnsureOneVocabulary(_queryEncoder, _documentEncoder);
        }
        catch
        {
            queryModel.Dispose();
            documentModel?.Dispose();
            throw;
        }
        _documents = new DocumentRepresentationCache(_documentEncoder, DocumentText, options.CacheDocuments);
    }

    public string Name => RecipeName;

    /// <summary>
    /// Scores are dot products over the vocabulary, so term j must be the same wordpiece for both
    /// encoders. Architectures may differ (a DistilBERT query encoder against a BERT document
    /// encoder), vocabularies may not: a mismatch would train silently against wrong terms.
    /// </summary>
    private void EnsureOneVocabulary(RepresentationEncoder query, RepresentationEncoder document)
    {
        if (query.VocabularySize != document.VocabularySize || !query.Tokenizer.Vocabulary.SequenceEqual(document.Tokenizer.Vocabulary, StringComparer.Ordinal))
            throw new DiscoException($"{_documentModelDir}: the document encoder's vocabulary differs from the query encoder's ({_queryModelDir}); DiSCo scores both over one vocabulary");
    }

    public object Options => _options;

    /// <summary>Trainable queries: teacher run ∩ qrels ∩ queries, with candidates in the rank window.</summary>
    public int ItemCount => _sampler.Count;

    public nn.Module Trainable => _queryEncoder.Model;

    /// <summary>The query encoder being trained.</summary>
    public RepresentationEncoder QueryEncoder => _queryEncoder;

    public IReadOnlyDictionary<string, double> Counters => new Dictionary<string, double> { ["documents_encoded"] = _documents.DocumentsEncoded };

    public RecipeLoss Loss(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var groups = batch.Items.Select(i => _sampler.Sample(i, batch.RandomFor(i))).ToArray();
        var groupSize = groups[0].DocumentIds.Count;
        var queries = _queryEncoder.Represent([.. groups.Select(g => g.QueryText)]);
        var documents = _documents.Dense([.. groups.SelectMany(g => g.DocumentIds)])
            .view(groups.Length, groupSize, _queryEncoder.VocabularySize);
        var teacher = tensor(groups.SelectMany(g => g.TeacherScores).ToArray(), [groups.Length, groupSize]).to(_queryEncoder.Device);
        var loss = _options.Loss;
        var terms = DiscoLoss.Compute(queries, documents, teacher, loss, batch.LossCall);
        return new RecipeLoss(terms.Total, new Dictionary<string, double>
        {
            ["kl"] = terms.Kl,
            ["ce"] = terms.Ce,
            ["anti_zero"] = terms.AntiZero,
            ["flops"] = terms.Flops,
            ["l1"] = terms.L1,
            ["lambda_d"] = loss.LambdaDocument > 0 ? SparseRegularizer.WarmedUpLambda(loss.LambdaDocument, loss.WarmupDocument, batch.LossCall) : 0.0,
            ["lambda_q"] = loss.LambdaQuery > 0 ? SparseRegularizer.WarmedUpLambda(loss.LambdaQuery, loss.WarmupQuery, batch.LossCall) : 0.0,
            ["L0_q"] = terms.L0Query,
            ["L0_d"] = terms.L0Document,
        });
    }

    public void SaveModels(string modelDirectory)
    {
        TrainingModels.Save(_documentEncoder.Model, modelDirectory, _documentModelDir);
        TrainingModels.Save(_queryEncoder.Model, Path.Combine(modelDirectory, CheckpointLayout.QueryFolder), _queryModelDir);
    }

    public void RestoreModels(string modelDirectory) =>
        TrainingModels.Restore(_queryEncoder.Model, Path.Combine(modelDirectory, CheckpointLayout.QueryFolder));

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ScoreCandidates(IReadOnlyList<ValidationQuery> queries) =>
        SparseCandidateScoring.Score(_queryEncoder, ids => [.. ids.Select(_documents.Sparse)], queries);

    private string DocumentText(string id) =>
        _collection.TryGetValue(id, out var text) ? text : throw new DiscoException($"{_collectionPath}: document '{id}' not found");

    public void Dispose()
    {
        _queryEncoder.Model.Dispose();
        _documentEncoder.Model.Dispose();
    }
}
