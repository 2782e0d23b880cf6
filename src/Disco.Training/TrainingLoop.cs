using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Disco.Core;
using Disco.Core.IO;
using Disco.Core.Runs;
using Disco.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// The training loop every recipe shares: seeded epoch shuffles of the recipe's items, micro-batches
/// with gradient accumulation, AdamW with a HuggingFace learning-rate schedule, gradient clipping,
/// a JSONL log, checkpoints (<c>checkpoint-N/</c> at each epoch end, every
/// <see cref="TrainingLoopOptions.SaveSteps"/> and at the end), validation with the best checkpoint
/// kept in <c>best/</c>, and exact resume: every random draw is a function of (seed, epoch,
/// position) or (seed, step), so a checkpoint's weights, optimizer state and step are all a
/// resumed run needs to draw what an uninterrupted run would have.
/// </summary>
public sealed class TrainingLoop : IDisposable
{
    private static readonly JsonSerializerOptions DescriptionJson = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    private readonly ITrainingRecipe _recipe;
    private readonly TrainingLoopOptions _options;
    private readonly TextWriter _status;
    private readonly AdamW _optimizer;
    private readonly List<Parameter> _parameters;
    private readonly TrainerState? _resumed;
    private readonly CandidateValidation? _validation;
    private readonly Dictionary<int, int[]> _epochOrders = [];
    private readonly Generator _dropout;

    /// <param name="recipe">what is trained (its models are restored here when resuming)</param>
    /// <param name="options">the loop's settings</param>
    /// <param name="status">receives a few human-readable lines (start, resume, validation); null: nowhere</param>
    public TrainingLoop(ITrainingRecipe recipe, TrainingLoopOptions options, TextWriter? status = null)
    {
        _recipe = recipe ?? throw new ArgumentNullException(nameof(recipe));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _status = status ?? TextWriter.Null;
        options.Validate();
        options.PrepareOutputDir();

        BatchesPerEpoch = recipe.ItemCount / options.BatchSize;
        StepsPerEpoch = BatchesPerEpoch / options.GradientAccumulation;
        if (StepsPerEpoch == 0)
            throw new DiscoException(string.Create(CultureInfo.InvariantCulture,
                $"{recipe.ItemCount} training items do not fill one step of {nameof(options.BatchSize)} × {nameof(options.GradientAccumulation)} = {options.BatchSize}×{options.GradientAccumulation}"));
        TotalSteps = options.MaxSteps ?? (long)options.Epochs * StepsPerEpoch;
        Schedule = new LearningRateSchedule(options.LearningRate, options.Schedule, TotalSteps,
            options.WarmupSteps ?? LearningRateSchedule.WarmupFromRatio(options.WarmupRatio, TotalSteps));

        if (options.Validates)
        {
            _validation = new CandidateValidation(
                TrainingQueries.Read(options.DevQueriesPath!), Qrels.Read(options.DevQrelsPath!), Core.Runs.Run.Read(options.DevRunPath!));
        }

        string? optimizerState = null;
        if (options.ResumeFrom is { } from)
        {
            if (!Directory.Exists(from))
                throw new DiscoException($"{from}: checkpoint folder not found{AtomicDirectory.RecoveryHint(from, CheckpointLayout.ArgumentsFile)}");
            _resumed = TrainerState.Read(from);
            if (_resumed.Recipe != recipe.Name)
                throw new DiscoException($"{from}: a checkpoint of recipe '{_resumed.Recipe}' cannot resume recipe '{recipe.Name}'");
            if (_resumed.Step > TotalSteps)
                throw new DiscoException(string.Create(CultureInfo.InvariantCulture, $"{from}: step {_resumed.Step} is past this run's last step {TotalSteps}"));
            optimizerState = Path.Combine(from, CheckpointLayout.OptimizerFile);
            if (!File.Exists(optimizerState))
                throw new DiscoException($"{from}: no {CheckpointLayout.OptimizerFile}; resume from a {CheckpointLayout.CheckpointPrefix}N folder ({CheckpointLayout.BestFolder}/ keeps no optimizer state)");
            if (_resumed.Seed != options.Seed || _resumed.TotalSteps != TotalSteps)
            {
                _status.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"warning: {from} was written with seed {_resumed.Seed} and {_resumed.TotalSteps} steps, this run has seed {options.Seed} and {TotalSteps} steps; it will not repeat the original run"));
            }
            recipe.RestoreModels(Path.Combine(from, CheckpointLayout.ModelFolder));
        }

        _parameters = [.. recipe.Trainable.parameters().Where(p => p.requires_grad)];
        // The run's own dropout generator, reseeded every step (TrainingOptimizer.BeginStep), on the
        // device the masks are drawn on.
        _dropout = new Generator(0, _parameters.Count > 0 ? _parameters[0].device : CPU);
        _optimizer = TrainingOptimizer.Create(recipe.Trainable, options.LearningRate, options.WeightDecay);
        if (optimizerState is not null)
            _optimizer.load_state_dict(optimizerState);
    }

    /// <summary>Micro-batches in one epoch (the last partial batch is dropped).</summary>
    public int BatchesPerEpoch { get; }

    public long StepsPerEpoch { get; }

    public long TotalSteps { get; }

    /// <summary>The step training starts after: 0, or the resumed checkpoint's step.</summary>
    public long StartStep => _resumed?.Step ?? 0;

    public LearningRateSchedule Schedule { get; }

    /// <summary>Trains from <see cref="StartStep"/> to the end and writes the final models to <c>OutputDir/model</c>.</summary>
    /// <param name="progress">receives 1 per optimizer step</param>
    /// <param name="cancellationToken">checked before each step; on cancellation the last finished step is checkpointed (so the run can resume) and <see cref="OperationCanceledException"/> is thrown</param>
    public TrainingSummary Run(IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var options = _options;
        var outputDir = options.OutputDir!;
        Directory.CreateDirectory(outputDir);
        var description = DescribeRun();
        AtomicFile.WriteAllText(Path.Combine(outputDir, CheckpointLayout.ArgumentsFile), description);
        var logPath = options.LogPath ?? Path.Combine(outputDir, CheckpointLayout.LogFile);
        var startStep = StartStep;
        var bestMetric = _resumed?.BestMetric;
        var bestStep = _resumed?.BestStep;
        ValidationResult? best = null;
        if (_resumed is not null)
        {
            _status.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resuming at step {startStep} of {TotalSteps}"));
            TrainingLogWriter.TruncateAfter(logPath, startStep);
        }
        _status.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_recipe.Name}: training on {_recipe.ItemCount} items, {StepsPerEpoch} steps/epoch, {TotalSteps} steps, warmup {Schedule.WarmupSteps}"));

        TrainerState StateAt(long step) => new()
        {
            Recipe = _recipe.Name,
            Step = step,
            TotalSteps = TotalSteps,
            Epoch = (double)(step * options.GradientAccumulation) / BatchesPerEpoch,
            Seed = options.Seed,
            BestMetric = bestMetric,
            BestStep = bestStep,
        };

        var clock = Stopwatch.StartNew();
        var lastLoss = double.NaN;
        var lastSaved = startStep;
        using var log = new TrainingLogWriter(logPath, append: _resumed is not null);
        for (var step = startStep + 1; step <= TotalSteps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (lastSaved != step - 1)
                    SaveCheckpoint(step - 1, StateAt(step - 1), description);
                cancellationToken.ThrowIfCancellationRequested();
            }
            var stepClock = Stopwatch.StartNew();
            var record = TrainStep(step);
            lastLoss = (double)record["loss"];
            record["step_seconds"] = stepClock.Elapsed.TotalSeconds;
            record["queries_per_second"] = options.BatchSize * options.GradientAccumulation / stepClock.Elapsed.TotalSeconds;
            foreach (var (name, value) in _recipe.Counters)
                record[name] = value;
            log.Write(record);
            progress?.Report(1);

            var microBatchesDone = step * options.GradientAccumulation;
            var epochEnd = microBatchesDone / BatchesPerEpoch != (microBatchesDone - options.GradientAccumulation) / BatchesPerEpoch;
            var periodic = options.SaveSteps is { } every && step % every == 0;
            if (!(epochEnd || periodic || step == TotalSteps))
                continue;
            if (_validation is not null && (epochEnd || step == TotalSteps))
            {
                var result = _validation.Evaluate(_recipe);
                log.Write(new Dictionary<string, object>
                {
                    ["event"] = "validation",
                    ["step"] = step,
                    ["mrr_10"] = result.MrrAt10,
                    ["recall_100"] = result.RecallAt100,
                    ["queries"] = result.Queries,
                });
                _status.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step}: validation MRR@10 {result.MrrAt10:F4}, R@100 {result.RecallAt100:F4} ({result.Queries} queries)"));
                if (bestMetric is null || result.MrrAt10 > bestMetric)
                {
                    (best, bestMetric, bestStep) = (result, result.MrrAt10, step);
                    CheckpointDirectory.Replace(Path.Combine(outputDir, CheckpointLayout.BestFolder), temporary => WriteCheckpoint(temporary, StateAt(step), description, withOptimizer: false));
                }
            }
            SaveCheckpoint(step, StateAt(step), description);
            lastSaved = step;
        }

        var finalDir = Path.Combine(outputDir, CheckpointLayout.ModelFolder);
        CheckpointDirectory.Replace(finalDir, temporary => SaveModels(temporary, final: true));
        if (best is null && bestMetric is { } resumedBest)
            best = new ValidationResult(resumedBest, double.NaN, 0);
        return new TrainingSummary(TotalSteps - startStep, TotalSteps, lastLoss, finalDir, best, bestStep,
            new Dictionary<string, double>(_recipe.Counters), clock.Elapsed.TotalSeconds);
    }

    private Dictionary<string, object> TrainStep(long step)
    {
        var options = _options;
        using var scope = NewDisposeScope();
        using var random = DropoutRandom.Use(_dropout);
        var rate = TrainingOptimizer.BeginStep(_optimizer, Schedule, _dropout, options.Seed, step);
        var accumulation = options.GradientAccumulation;
        double loss = 0;
        var terms = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var micro = 0; micro < accumulation; micro++)
        {
            var index = ((step - 1) * accumulation) + micro;
            var computed = _recipe.Loss(Batch(step, index));
            (computed.Total / accumulation).backward();
            loss += computed.Total.item<float>() / accumulation;
            foreach (var (name, value) in computed.Terms)
                terms[name] = terms.GetValueOrDefault(name) + (value / accumulation);
        }

        var gradNorm = TrainingOptimizer.ClipGradients(_parameters, options.MaxGradNorm);
        _optimizer.step();

        var record = new Dictionary<string, object>
        {
            ["step"] = step,
            ["epoch"] = (double)(step * accumulation) / BatchesPerEpoch,
            ["loss"] = loss,
        };
        foreach (var (name, value) in terms)
            record[name] = value;
        record["lr"] = rate;
        record["grad_norm"] = gradNorm;
        return record;
    }

    /// <summary>Micro-batch <paramref name="index"/> (0-based over the whole run) of optimizer step <paramref name="step"/>.</summary>
    private TrainingBatch Batch(long step, long index)
    {
        var epoch = (int)(index / BatchesPerEpoch);
        var position = (int)(index % BatchesPerEpoch);
        var items = EpochOrder(epoch).AsSpan(position * _options.BatchSize, _options.BatchSize).ToArray();
        return new TrainingBatch(step, index + 1, epoch, items, _options.Seed);
    }

    /// <summary>The seeded shuffle of epoch <paramref name="epoch"/>; the last partial batch is dropped.</summary>
    private int[] EpochOrder(int epoch)
    {
        if (_epochOrders.TryGetValue(epoch, out var order))
            return order;
        _epochOrders.Clear();
        order = Enumerable.Range(0, _recipe.ItemCount).ToArray();
        TrainingRandom.For(_options.Seed, -1, epoch).Shuffle(order);
        _epochOrders[epoch] = order;
        return order;
    }

    private void SaveCheckpoint(long step, TrainerState state, string description)
    {
        var outputDir = _options.OutputDir!;
        CheckpointDirectory.Replace(CheckpointLayout.Checkpoint(outputDir, step), temporary => WriteCheckpoint(temporary, state, description, withOptimizer: true));
        if (_options.KeepCheckpoints is { } keep)
        {
            var stale = Directory.EnumerateDirectories(outputDir, CheckpointLayout.CheckpointPrefix + "*")
                .Select(dir => (dir, step: long.TryParse(Path.GetFileName(dir)[CheckpointLayout.CheckpointPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1))
                .Where(c => c.step >= 0)
                .OrderByDescending(c => c.step)
                .Skip(keep);
            foreach (var (dir, _) in stale)
                Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The recipe's models, then the completion marker the loader requires of a training output (written last).</summary>
    private void SaveModels(string modelDirectory, bool final)
    {
        _recipe.SaveModels(modelDirectory);
        if (final)
            FaultPoint.Reach(CheckpointLayout.ModelFolder + ":unmarked");
        DiscoModelLayout.MarkComplete(modelDirectory);
    }

    private void WriteCheckpoint(string directory, TrainerState state, string description, bool withOptimizer)
    {
        SaveModels(Path.Combine(directory, CheckpointLayout.ModelFolder), final: false);
        if (withOptimizer)
            _optimizer.save_state_dict(Path.Combine(directory, CheckpointLayout.OptimizerFile));
        state.Write(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, CheckpointLayout.ArgumentsFile), description);
    }

    private string DescribeRun()
    {
        var description = new Dictionary<string, object?>
        {
            ["format_version"] = TrainerState.CurrentVersion,
            ["recipe"] = _recipe.Name,
            ["options"] = _recipe.Options,
            ["total_steps"] = TotalSteps,
            ["steps_per_epoch"] = StepsPerEpoch,
            ["warmup_steps"] = Schedule.WarmupSteps,
            ["training_items"] = _recipe.ItemCount,
            ["disco_version"] = typeof(TrainingLoop).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            ["torchsharp_version"] = typeof(torch).Assembly.GetName().Version?.ToString(),
            // Float sums depend on it: a run repeats bit for bit only with the same count.
            ["torch_threads"] = TorchThreads.Current,
        };
        return JsonSerializer.Serialize(description, DescriptionJson);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _dropout.Dispose();
    }
}
