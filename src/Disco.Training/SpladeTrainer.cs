using System.Diagnostics;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Modeling;
using Disco.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// Classic SPLADE training (spec §3) with one shared encoder for queries and documents:
/// InBatchPairwiseNLL, DistilMarginMSE or DistilKL, plus FLOPS on documents and L1 on queries with
/// the reference's quadratic warmup λ·min(1, (t/T)²). Saves <c>model/</c> each epoch and at the end.
/// </summary>
public sealed class SpladeTrainer : IDisposable
{
    private readonly SpladeTrainingOptions _options;
    private readonly TextWriter _status;
    private readonly List<TrainingTriplet>? _triplets;
    private readonly HardNegativeSampler? _hardNegatives;
    private readonly MaskedLanguageModel _model;
    private readonly RepresentationEncoder _encoder;
    private readonly AdamW _optimizer;
    private readonly List<Parameter> _parameters;

    public SpladeTrainer(SpladeTrainingOptions options, TextWriter? status = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _status = status ?? TextWriter.Null;
        if (options.BatchSize < 1 || options.Epochs < 1 || options.LearningRate <= 0)
            throw new DiscoException("--batch-size and --epochs must be at least 1 and --lr positive");
        if (options.TripletsPath is not null)
        {
            _triplets = TripletFile.Read(options.TripletsPath);
            if (options.Loss != PairwiseLoss.InBatchNll && _triplets.Any(t => t.TeacherPositive is null))
                throw new DiscoException($"{options.TripletsPath}: loss {options.Loss} needs teacher scores (5 columns per line)");
        }
        else if (options.QueriesPath is not null && options.CollectionPath is not null && options.QrelsPath is not null && options.HardNegativesPath is not null)
        {
            _hardNegatives = new HardNegativeSampler(
                TrainingQueries.Read(options.QueriesPath),
                TrainingQueries.ReadCollection(options.CollectionPath),
                Qrels.Read(options.QrelsPath),
                Core.Runs.Run.Read(options.HardNegativesPath));
        }
        else
        {
            throw new DiscoException("--recipe splade needs --triplets, or --queries, --collection, --qrels and --hard-negatives");
        }
        ItemsPerEpoch = _triplets?.Count ?? _hardNegatives!.Count;
        StepsPerEpoch = ItemsPerEpoch / options.BatchSize;
        if (StepsPerEpoch == 0)
            throw new DiscoException($"{ItemsPerEpoch} training items do not fill one batch of {options.BatchSize}");
        TotalSteps = options.MaxSteps ?? (long)options.Epochs * StepsPerEpoch;
        Schedule = new LearningRateSchedule(options.LearningRate, options.Schedule, TotalSteps,
            options.WarmupSteps ?? LearningRateSchedule.WarmupFromRatio(options.WarmupRatio, TotalSteps));

        var device = TrainingModels.ResolveDevice(options.Device);
        _model = TrainingModels.Load(options.ModelDir, options.Dropout, device);
        _model.train();
        _encoder = new RepresentationEncoder(_model, WordPieceTokenizer.FromDirectory(options.ModelDir), options.MaxLength, device);
        _parameters = [.. _model.parameters()];
        _optimizer = TrainingOptimizer.Create(_model, options.LearningRate, options.WeightDecay);
    }

    public int ItemsPerEpoch { get; }

    public long StepsPerEpoch { get; }

    public long TotalSteps { get; }

    public LearningRateSchedule Schedule { get; }

    public TrainingSummary Run()
    {
        var options = _options;
        Directory.CreateDirectory(options.OutputDir);
        var clock = Stopwatch.StartNew();
        using var log = new TrainingLogWriter(options.LogPath ?? Path.Combine(options.OutputDir, "log.jsonl"));
        using var progress = new ConsoleProgress("train", TotalSteps);
        _status.WriteLine($"training on {ItemsPerEpoch} items: {StepsPerEpoch} steps/epoch, {TotalSteps} steps");
        double lastLoss = double.NaN;
        for (long step = 1; step <= TotalSteps; step++)
        {
            var stepClock = Stopwatch.StartNew();
            var record = TrainStep(step);
            lastLoss = (double)record["loss"];
            record["step_seconds"] = stepClock.Elapsed.TotalSeconds;
            record["queries_per_second"] = options.BatchSize / stepClock.Elapsed.TotalSeconds;
            log.Write(record);
            progress.Report(1);
            if (step % StepsPerEpoch == 0 && step != TotalSteps)
                Save(Path.Combine(options.OutputDir, $"checkpoint-{step}", DiscoTrainer.ModelSubdirectory));
        }
        var finalDir = Path.Combine(options.OutputDir, DiscoTrainer.ModelSubdirectory);
        Save(finalDir);
        return new TrainingSummary(TotalSteps, TotalSteps, lastLoss, finalDir, null, 0, clock.Elapsed.TotalSeconds);
    }

    private Dictionary<string, object> TrainStep(long step)
    {
        var options = _options;
        using var scope = NewDisposeScope();
        var rate = TrainingOptimizer.BeginStep(_optimizer, Schedule, options.Seed, step);

        var items = Batch(step - 1);
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
        var lambdaD = RampedLambda(options.LambdaDocument, options.WarmupDocument, step);
        var lambdaQ = RampedLambda(options.LambdaQuery, options.WarmupQuery, step);
        var flops = (SparseRegularizer.Flops(positives) + SparseRegularizer.Flops(negatives)) / 2;
        var l1 = SparseRegularizer.L1(queries);
        var total = rankingLoss + (lambdaD * flops) + (lambdaQ * l1);
        total.backward();
        var gradNorm = TrainingOptimizer.ClipGradients(_parameters, options.MaxGradNorm);
        _optimizer.step();
        return new Dictionary<string, object>
        {
            ["step"] = step,
            ["loss"] = (double)total.item<float>(),
            ["ranking_loss"] = (double)rankingLoss.item<float>(),
            ["flops"] = (double)flops.item<float>(),
            ["l1"] = (double)l1.item<float>(),
            ["lambda_d"] = lambdaD,
            ["lambda_q"] = lambdaQ,
            ["L0_q"] = SparseRegularizer.L0(queries),
            ["L0_d"] = (SparseRegularizer.L0(positives) + SparseRegularizer.L0(negatives)) / 2,
            ["lr"] = rate,
            ["grad_norm"] = gradNorm,
        };
    }

    /// <summary>
    /// SPLADE's RegWeightScheduler: λ·(t/T)² until step T, then λ. (DiSCo's variant differs by the
    /// +1 in the denominator; see <see cref="SparseRegularizer.WarmedUpLambda"/>.)
    /// </summary>
    public static double RampedLambda(double lambda, int warmupSteps, long step)
    {
        if (lambda == 0)
            return 0;
        if (warmupSteps <= 0 || step >= warmupSteps)
            return lambda;
        var ramp = (double)step / warmupSteps;
        return lambda * ramp * ramp;
    }

    private TrainingTriplet[] Batch(long index)
    {
        var epoch = (int)(index / StepsPerEpoch);
        var position = (int)(index % StepsPerEpoch);
        var order = Enumerable.Range(0, ItemsPerEpoch).ToArray();
        TrainingRandom.For(_options.Seed, -1, epoch).Shuffle(order);
        return [.. order.Skip(position * _options.BatchSize).Take(_options.BatchSize)
            .Select(i => _triplets is not null ? _triplets[i] : _hardNegatives!.Sample(i, TrainingRandom.For(_options.Seed, epoch, i)))];
    }

    private void Save(string modelDir) =>
        CheckpointDirectory.Replace(modelDir, temporary => HfCheckpoint.Save(_model, temporary, _options.ModelDir));

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }
}
