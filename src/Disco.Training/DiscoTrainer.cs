using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Modeling;
using Disco.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// DiSCo distillation (spec §2): a trainable query encoder reads the whole conversation and learns
/// to reproduce, over sampled candidates, the scores a teacher (an LLM rewrite scored by SPLADE)
/// gives; the document encoder stays frozen. Writes HF checkpoints (<c>model/</c> = document
/// encoder, <c>model/query/</c> = query encoder) each epoch and at the end.
/// </summary>
public sealed class DiscoTrainer : IDisposable
{
    public const string QuerySubdirectory = "query";
    public const string ModelSubdirectory = "model";
    public const string OptimizerFile = "optimizer.bin";
    public const string ArgumentsFile = "training_args.json";

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private readonly DiscoTrainingOptions _options;
    private readonly TextWriter _status;
    private readonly Device _device;
    private readonly Dictionary<string, string> _collection;
    private readonly DistillationSampler _sampler;
    private readonly MaskedLanguageModel _queryModel;
    private readonly MaskedLanguageModel _documentModel;
    private readonly RepresentationEncoder _queryEncoder;
    private readonly DocumentRepresentationCache _documents;
    private readonly CandidateValidation? _validation;
    private readonly AdamW _optimizer;
    private readonly List<Parameter> _parameters;
    private readonly TrainerState? _resumed;
    private readonly Dictionary<int, int[]> _epochOrders = [];

    public DiscoTrainer(DiscoTrainingOptions options, TextWriter? status = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _status = status ?? TextWriter.Null;
        Validate(options);
        _device = TrainingModels.ResolveDevice(options.Device);

        var queries = TrainingQueries.Read(options.QueriesPath);
        _collection = TrainingQueries.ReadCollection(options.CollectionPath);
        var qrels = Qrels.Read(options.QrelsPath);
        var teacher = Core.Runs.Run.Read(options.TeacherRunPath);
        _sampler = new DistillationSampler(queries, qrels, teacher, options.Negatives, options.Window, _collection.ContainsKey);
        _sampler.EnsureNotEmpty(options.TeacherRunPath);
        BatchesPerEpoch = _sampler.Count / options.BatchSize;
        StepsPerEpoch = BatchesPerEpoch / options.GradientAccumulation;
        if (StepsPerEpoch == 0)
            throw new DiscoException($"{options.TeacherRunPath}: {_sampler.Count} trainable queries do not fill one step of {options.BatchSize}×{options.GradientAccumulation} queries");
        TotalSteps = options.MaxSteps ?? (long)options.Epochs * StepsPerEpoch;
        var warmup = options.WarmupSteps ?? LearningRateSchedule.WarmupFromRatio(options.WarmupRatio, TotalSteps);
        Schedule = new LearningRateSchedule(options.LearningRate, options.Schedule, TotalSteps, warmup);

        if (options.ResumeFrom is not null)
            _resumed = TrainerState.Read(options.ResumeFrom);
        var queryDir = options.ResumeFrom is null ? options.QueryModelDir : Path.Combine(options.ResumeFrom, ModelSubdirectory, QuerySubdirectory);
        _queryModel = TrainingModels.Load(queryDir, options.Dropout, _device);
        _queryModel.train();
        _documentModel = TrainingModels.Load(options.DocumentModelDir, null, _device);
        // The document encoder is frozen and stays in eval mode (no dropout), as freeze_d_model does.
        _documentModel.eval();
        foreach (var p in _documentModel.parameters())
            p.requires_grad = false;

        _queryEncoder = new RepresentationEncoder(_queryModel, WordPieceTokenizer.FromDirectory(options.QueryModelDir), options.MaxLength, _device);
        var documentEncoder = new RepresentationEncoder(_documentModel, WordPieceTokenizer.FromDirectory(options.DocumentModelDir), options.MaxLength, _device);
        _documents = new DocumentRepresentationCache(documentEncoder, DocumentText, options.CacheDocuments);

        if (options.DevQueriesPath is not null)
        {
            if (options.DevQrelsPath is null || options.DevRunPath is null)
                throw new DiscoException("validation needs --dev-queries, --dev-qrels and --dev-run together");
            _validation = new CandidateValidation(TrainingQueries.Read(options.DevQueriesPath), Qrels.Read(options.DevQrelsPath), Core.Runs.Run.Read(options.DevRunPath));
        }

        _parameters = [.. _queryModel.parameters()];
        _optimizer = TrainingOptimizer.Create(_queryModel, options.LearningRate, options.WeightDecay);
        if (options.ResumeFrom is not null)
            _optimizer.load_state_dict(Path.Combine(options.ResumeFrom, OptimizerFile));
    }

    public int BatchesPerEpoch { get; }

    public long StepsPerEpoch { get; }

    public long TotalSteps { get; }

    public LearningRateSchedule Schedule { get; }

    public int TrainableQueries => _sampler.Count;

    /// <summary>The query encoder being trained (its model is in training mode).</summary>
    public RepresentationEncoder QueryEncoder => _queryEncoder;

    /// <summary>Trains to the end (or from the resumed step to the end) and writes the final model.</summary>
    public TrainingSummary Run()
    {
        var options = _options;
        Directory.CreateDirectory(options.OutputDir);
        AtomicFile.WriteAllText(Path.Combine(options.OutputDir, ArgumentsFile), DescribeRun());
        var logPath = options.LogPath ?? Path.Combine(options.OutputDir, "log.jsonl");
        var startStep = _resumed?.Step ?? 0;
        var best = _resumed?.BestMetric is { } m ? new ValidationResult(m, double.NaN, 0) : null;
        var bestStep = _resumed?.BestStep;
        if (_resumed is not null)
            _status.WriteLine($"resuming at step {startStep} of {TotalSteps}");
        _status.WriteLine($"training on {_sampler.Count} queries: {StepsPerEpoch} steps/epoch, {TotalSteps} steps, warmup {Schedule.WarmupSteps}");

        var clock = Stopwatch.StartNew();
        double lastLoss = double.NaN;
        using var log = new TrainingLogWriter(logPath, append: _resumed is not null);
        using var progress = new ConsoleProgress("train", TotalSteps - startStep);
        for (var step = startStep + 1; step <= TotalSteps; step++)
        {
            var stepClock = Stopwatch.StartNew();
            var record = TrainStep(step);
            lastLoss = (double)record["loss"];
            record["step_seconds"] = stepClock.Elapsed.TotalSeconds;
            record["queries_per_second"] = options.BatchSize * options.GradientAccumulation / stepClock.Elapsed.TotalSeconds;
            record["documents_encoded"] = _documents.DocumentsEncoded;
            log.Write(record);
            progress.Report(1);

            var microBatchesDone = step * options.GradientAccumulation;
            var epochEnd = microBatchesDone / BatchesPerEpoch != (microBatchesDone - options.GradientAccumulation) / BatchesPerEpoch;
            var periodic = options.SaveSteps is { } every && step % every == 0;
            if (!(epochEnd || periodic || step == TotalSteps))
                continue;
            var state = new TrainerState
            {
                Step = step,
                TotalSteps = TotalSteps,
                Epoch = (double)microBatchesDone / BatchesPerEpoch,
                Seed = options.Seed,
                BestMetric = best?.MrrAt10,
                BestStep = bestStep,
            };
            if (_validation is not null && (epochEnd || step == TotalSteps))
            {
                var result = _validation.Evaluate(_queryEncoder, _documents);
                log.Write(new Dictionary<string, object>
                {
                    ["event"] = "validation",
                    ["step"] = step,
                    ["mrr_10"] = result.MrrAt10,
                    ["recall_100"] = result.RecallAt100,
                    ["queries"] = result.Queries,
                });
                if (best is null || result.MrrAt10 > best.MrrAt10)
                {
                    best = result;
                    bestStep = step;
                    state = state with { BestMetric = result.MrrAt10, BestStep = step };
                    SaveCheckpoint(Path.Combine(options.OutputDir, "best"), state, withOptimizer: false);
                }
            }
            SaveCheckpoint(Path.Combine(options.OutputDir, $"checkpoint-{step}"), state, withOptimizer: true);
        }

        var finalDir = Path.Combine(options.OutputDir, ModelSubdirectory);
        SaveModels(finalDir);
        return new TrainingSummary(TotalSteps - startStep, TotalSteps, lastLoss, finalDir, best, _documents.DocumentsEncoded, clock.Elapsed.TotalSeconds);
    }

    private Dictionary<string, object> TrainStep(long step)
    {
        var options = _options;
        using var scope = NewDisposeScope();
        var rate = TrainingOptimizer.BeginStep(_optimizer, Schedule, options.Seed, step);

        double loss = 0, kl = 0, ce = 0, antiZero = 0, flops = 0, l1 = 0, l0q = 0, l0d = 0;
        var accumulation = options.GradientAccumulation;
        long lossCall = 0;
        for (var micro = 0; micro < accumulation; micro++)
        {
            var index = ((step - 1) * accumulation) + micro;
            lossCall = index + 1;
            var groups = Batch(index);
            var groupSize = groups[0].DocumentIds.Count;
            var queries = _queryEncoder.Represent(groups.Select(g => g.QueryText).ToArray());
            var documents = _documents.Dense(groups.SelectMany(g => g.DocumentIds).ToArray())
                .view(groups.Length, groupSize, _queryEncoder.VocabularySize);
            var teacher = tensor(groups.SelectMany(g => g.TeacherScores).ToArray(), [groups.Length, groupSize]).to(_device);
            var terms = DiscoLoss.Compute(queries, documents, teacher, options.Loss, lossCall);
            (terms.Total / accumulation).backward();
            loss += terms.Total.item<float>() / accumulation;
            kl += terms.Kl / accumulation;
            ce += terms.Ce / accumulation;
            antiZero += terms.AntiZero / accumulation;
            flops += terms.Flops / accumulation;
            l1 += terms.L1 / accumulation;
            l0q += terms.L0Query / accumulation;
            l0d += terms.L0Document / accumulation;
        }

        var gradNorm = TrainingOptimizer.ClipGradients(_parameters, options.MaxGradNorm);
        _optimizer.step();

        return new Dictionary<string, object>
        {
            ["step"] = step,
            ["epoch"] = (double)(step * accumulation) / BatchesPerEpoch,
            ["loss"] = loss,
            ["kl"] = kl,
            ["ce"] = ce,
            ["anti_zero"] = antiZero,
            ["flops"] = flops,
            ["l1"] = l1,
            ["lambda_d"] = options.Loss.LambdaDocument > 0 ? SparseRegularizer.WarmedUpLambda(options.Loss.LambdaDocument, options.Loss.WarmupDocument, lossCall) : 0.0,
            ["lambda_q"] = options.Loss.LambdaQuery > 0 ? SparseRegularizer.WarmedUpLambda(options.Loss.LambdaQuery, options.Loss.WarmupQuery, lossCall) : 0.0,
            ["L0_q"] = l0q,
            ["L0_d"] = l0d,
            ["lr"] = rate,
            ["grad_norm"] = gradNorm,
        };
    }

    /// <summary>The items of micro-batch <paramref name="index"/> (0-based over the whole run).</summary>
    private DistillationGroup[] Batch(long index)
    {
        var epoch = (int)(index / BatchesPerEpoch);
        var position = (int)(index % BatchesPerEpoch);
        var order = EpochOrder(epoch);
        return order.Skip(position * _options.BatchSize).Take(_options.BatchSize)
            .Select(i => _sampler.Sample(i, TrainingRandom.For(_options.Seed, epoch, i)))
            .ToArray();
    }

    /// <summary>The seeded shuffle of epoch <paramref name="epoch"/>; the last partial batch is dropped.</summary>
    private int[] EpochOrder(int epoch)
    {
        if (_epochOrders.TryGetValue(epoch, out var order))
            return order;
        _epochOrders.Clear();
        order = Enumerable.Range(0, _sampler.Count).ToArray();
        TrainingRandom.For(_options.Seed, -1, epoch).Shuffle(order);
        _epochOrders[epoch] = order;
        return order;
    }

    private void SaveCheckpoint(string directory, TrainerState state, bool withOptimizer) =>
        CheckpointDirectory.Replace(directory, temporary =>
        {
            SaveModels(Path.Combine(temporary, ModelSubdirectory));
            if (withOptimizer)
                _optimizer.save_state_dict(Path.Combine(temporary, OptimizerFile));
            state.Write(temporary);
            AtomicFile.WriteAllText(Path.Combine(temporary, ArgumentsFile), DescribeRun());
        });

    private void SaveModels(string modelDir)
    {
        HfCheckpoint.Save(_documentModel, modelDir, _options.DocumentModelDir);
        HfCheckpoint.Save(_queryModel, Path.Combine(modelDir, QuerySubdirectory), _options.QueryModelDir);
    }

    private string DescribeRun()
    {
        var description = new Dictionary<string, object?>
        {
            ["format_version"] = TrainerState.CurrentVersion,
            ["recipe"] = "disco",
            ["options"] = _options,
            ["total_steps"] = TotalSteps,
            ["warmup_steps"] = Schedule.WarmupSteps,
            ["trainable_queries"] = _sampler.Count,
            ["disco_version"] = typeof(DiscoTrainer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            ["torchsharp_version"] = typeof(torch).Assembly.GetName().Version?.ToString(),
        };
        return JsonSerializer.Serialize(description, IndentedJson);
    }

    private string DocumentText(string id) =>
        _collection.TryGetValue(id, out var text) ? text : throw new DiscoException($"{_options.CollectionPath}: document '{id}' not found");

    private static void Validate(DiscoTrainingOptions o)
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
                throw new DiscoException(message);
        }
        Require(o.BatchSize >= 1, "--batch-size must be at least 1");
        Require(o.Negatives >= 1, "--negatives must be at least 1");
        Require(o.LearningRate > 0, "--lr must be positive");
        Require(o.WarmupRatio is >= 0 and <= 1, "--warmup-ratio must be in [0, 1]");
        Require(o.WeightDecay >= 0, "--weight-decay must be ≥ 0");
        Require(o.GradientAccumulation >= 1, "--grad-accum must be at least 1");
        Require(o.Epochs >= 1, "--epochs must be at least 1");
        Require(o.MaxSteps is null or >= 1, "--max-steps must be at least 1");
        Require(o.Dropout is >= 0 and < 1, "--dropout must be in [0, 1)");
        Require(o.MaxLength is >= 2 and <= 512, "--max-length must be in [2, 512]");
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _queryModel.Dispose();
        _documentModel.Dispose();
    }
}
