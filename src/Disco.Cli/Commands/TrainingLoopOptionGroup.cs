using System.CommandLine;
using Disco.Cli.Options;
using Disco.Modeling;
using Disco.Training;

namespace Disco.Cli.Commands;

/// <summary>
/// The flags of the shared training loop (<see cref="TrainingLoopOptions"/>), one instance per
/// recipe subcommand: the defaults shown and used are the recipe's own <c>DefaultLoop</c>.
/// </summary>
internal sealed class TrainingLoopOptionGroup
{
    private readonly TrainingLoopOptions _defaults;
    private readonly Option<string> _output = new("--out") { Description = "Output directory (checkpoints, final model/, log.jsonl, training_args.json)", Required = true };
    private readonly Option<int> _batchSize;
    private readonly Option<int> _accumulation;
    private readonly Option<double> _learningRate;
    private readonly Option<string> _schedule;
    private readonly Option<double> _warmupRatio;
    private readonly Option<long?> _warmupSteps = new("--warmup-steps") { Description = "Warmup in steps (overrides --warmup-ratio)" };
    private readonly Option<double> _weightDecay;
    private readonly Option<double> _maxGradNorm;
    private readonly Option<int> _epochs;
    private readonly Option<long?> _maxSteps = new("--max-steps") { Description = "Stop after N optimizer steps (also the schedule's length)" };
    private readonly Option<long> _seed;
    private readonly Option<long?> _saveSteps = new("--save-steps") { Description = "Also checkpoint every N steps (epoch ends and the last step always are)" };
    private readonly Option<int?> _keepCheckpoints = new("--keep-checkpoints") { Description = "Keep only the newest N checkpoint-* folders (default: all)" };
    private readonly Option<string> _device;
    private readonly Option<string?> _log = new("--log") { Description = "JSONL log, one line per step (default OUT/log.jsonl)" };
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue exactly from OUT/checkpoint-N" };
    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "Start over in an --out that holds an earlier run (its checkpoints, model and log are deleted); without it such an --out is refused" };
    private readonly Option<string?> _devQueries = new("--dev-queries") { Description = "Validation queries, re-ranked at each epoch end (with --dev-qrels and --dev-run); the best checkpoint is kept in OUT/best" };
    private readonly Option<string?> _devQrels = new("--dev-qrels") { Description = "Validation qrels" };
    private readonly Option<string?> _devRun = new("--dev-run") { Description = "Validation candidates to re-rank (a first-stage run)" };
    private readonly Option<int?> _threads = ThreadsOption.Create();

    public TrainingLoopOptionGroup(TrainingLoopOptions defaults)
    {
        _defaults = defaults;
        _batchSize = new("--batch-size") { Description = "Training items (queries or triplets) per micro-batch", DefaultValueFactory = _ => defaults.BatchSize };
        _accumulation = new("--grad-accum") { Description = "Micro-batches per optimizer step", DefaultValueFactory = _ => defaults.GradientAccumulation };
        _learningRate = new("--lr") { Description = "Peak learning rate (AdamW)", DefaultValueFactory = _ => defaults.LearningRate };
        _schedule = new("--lr-schedule") { Description = "Learning rate after warmup: linear decay to 0, or constant", DefaultValueFactory = _ => ScheduleName(defaults.Schedule) };
        _schedule.AcceptOnlyFromAmong([.. Enum.GetValues<LearningRateShape>().Select(ScheduleName)]);
        _warmupRatio = new("--warmup-ratio") { Description = "Warmup as a fraction of all steps", DefaultValueFactory = _ => defaults.WarmupRatio };
        _weightDecay = new("--weight-decay") { Description = "AdamW decoupled weight decay (not on biases and LayerNorm)", DefaultValueFactory = _ => defaults.WeightDecay };
        _maxGradNorm = new("--max-grad-norm") { Description = "Clip the total gradient norm (0: no clipping)", DefaultValueFactory = _ => defaults.MaxGradNorm };
        _epochs = new("--epochs") { Description = "Epochs over the training items", DefaultValueFactory = _ => defaults.Epochs };
        _seed = new("--seed") { Description = "Seed of shuffling, sampling and dropout", DefaultValueFactory = _ => defaults.Seed };
        _device = new("--device") { Description = "cpu or cuda[:N]", DefaultValueFactory = _ => defaults.Device };
    }

    private static string ScheduleName(LearningRateShape shape) => shape.ToString().ToLowerInvariant();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            _output, _batchSize, _accumulation, _learningRate, _schedule, _warmupRatio, _warmupSteps, _weightDecay, _maxGradNorm,
            _epochs, _maxSteps, _seed, _saveSteps, _keepCheckpoints, _device, _log, _resume, _overwrite, _devQueries, _devQrels, _devRun, _threads,
        })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The loop's settings; a non-empty --out without --resume or --overwrite is refused here, before
    /// any model loads. Sets libtorch's threads (--threads, else the default) on this thread, which
    /// then trains, even when something else in the process set another count: float sums depend on
    /// it, so a resumed run must use the one the interrupted run used.
    /// </summary>
    public TrainingLoopOptions Read(ParseResult parse)
    {
        var options = ReadOptions(parse);
        options.PrepareOutputDir();
        TorchThreads.Set(ThreadsOption.Count(parse, _threads));
        return options;
    }

    private TrainingLoopOptions ReadOptions(ParseResult parse) => _defaults with
    {
        OutputDir = parse.GetValue(_output),
        BatchSize = parse.GetValue(_batchSize),
        GradientAccumulation = parse.GetValue(_accumulation),
        LearningRate = parse.GetValue(_learningRate),
        Schedule = Enum.Parse<LearningRateShape>(parse.GetValue(_schedule)!, ignoreCase: true),
        WarmupRatio = parse.GetValue(_warmupRatio),
        WarmupSteps = parse.GetValue(_warmupSteps),
        WeightDecay = parse.GetValue(_weightDecay),
        MaxGradNorm = parse.GetValue(_maxGradNorm),
        Epochs = parse.GetValue(_epochs),
        MaxSteps = parse.GetValue(_maxSteps),
        Seed = parse.GetValue(_seed),
        SaveSteps = parse.GetValue(_saveSteps),
        KeepCheckpoints = parse.GetValue(_keepCheckpoints),
        Device = parse.GetValue(_device)!,
        LogPath = parse.GetValue(_log),
        ResumeFrom = parse.GetValue(_resume),
        Overwrite = parse.GetValue(_overwrite),
        DevQueriesPath = parse.GetValue(_devQueries),
        DevQrelsPath = parse.GetValue(_devQrels),
        DevRunPath = parse.GetValue(_devRun),
    };
}
