using System.CommandLine;
using System.Globalization;
using Disco.Retrieval;
using Disco.Training;

namespace Disco.Cli.Commands;

/// <summary>`disco train`: DiSCo distillation (--recipe disco) or classic SPLADE training (--recipe splade).</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new DiscoTrainingOptions
        {
            QueriesPath = "",
            CollectionPath = "",
            QrelsPath = "",
            TeacherRunPath = "",
            QueryModelDir = "",
            DocumentModelDir = "",
            OutputDir = "",
        };
        var recipe = new Option<string>("--recipe") { Description = "disco (distil a conversational query encoder) or splade (triplets). Defaults shown are DiSCo's; splade uses its own (batch 16, no warmup, weight decay 0.01, no clipping, 1 epoch) unless a flag is given", DefaultValueFactory = _ => "disco" };
        recipe.AcceptOnlyFromAmong("disco", "splade");
        var queries = new Option<string?>("--queries") { Description = "Training queries: TSV id<TAB>text (flattened conversations) or conversations JSONL" };
        var collection = new Option<string?>("--collection") { Description = "Passages: TSV id<TAB>text or JSONL" };
        var qrels = new Option<string?>("--qrels") { Description = "Training qrels (TREC or JSON); relevance ≥ 1 is positive" };
        var teacherRun = new Option<string?>("--teacher-run") { Description = "Teacher run {qid: {docid: score}} (JSON or TREC)" };
        var queryModel = new Option<string?>("--query-model") { Description = "HF checkpoint the query encoder starts from" };
        var docModel = new Option<string?>("--doc-model") { Description = "HF checkpoint of the frozen document encoder (default: --query-model)" };
        var output = new Option<string>("--out") { Description = "Output directory (checkpoints, model/, model/query/, log)", Required = true };
        var triplets = new Option<string?>("--triplets") { Description = "splade: TSV q<TAB>d+<TAB>d- [<TAB>s+<TAB>s-]" };
        var hardNegatives = new Option<string?>("--hard-negatives") { Description = "splade: scored candidates {qid: {docid: score}} to draw negatives from (with --queries, --collection, --qrels)" };
        var model = new Option<string?>("--model") { Description = "splade: HF checkpoint to start from" };
        var loss = new Option<string>("--loss") { Description = "splade: in-batch-nll, margin-mse or kl", DefaultValueFactory = _ => "in-batch-nll" };
        var batchSize = new Option<int>("--batch-size") { Description = "Queries per step", DefaultValueFactory = _ => defaults.BatchSize };
        var negatives = new Option<int>("--negatives") { Description = "Negatives sampled per query", DefaultValueFactory = _ => defaults.Negatives };
        var window = new Option<string>("--rank-window") { Description = "Teacher ranks negatives come from, START:END (0-based, END exclusive)", DefaultValueFactory = _ => defaults.Window.ToString() };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW)", DefaultValueFactory = _ => defaults.LearningRate };
        var schedule = new Option<string>("--lr-schedule") { Description = "linear or constant (after warmup)", DefaultValueFactory = _ => "linear" };
        schedule.AcceptOnlyFromAmong("linear", "constant");
        var warmupRatio = new Option<double>("--warmup-ratio") { Description = "Warmup as a fraction of all steps", DefaultValueFactory = _ => defaults.WarmupRatio };
        var warmupSteps = new Option<long?>("--warmup-steps") { Description = "Warmup in steps (overrides --warmup-ratio)" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW decoupled weight decay (not on biases/LayerNorm)", DefaultValueFactory = _ => defaults.WeightDecay };
        var maxGradNorm = new Option<double>("--max-grad-norm") { Description = "Clip the total gradient norm (0: no clipping)", DefaultValueFactory = _ => defaults.MaxGradNorm };
        var accumulation = new Option<int>("--grad-accum") { Description = "Micro-batches per optimizer step", DefaultValueFactory = _ => defaults.GradientAccumulation };
        var epochs = new Option<int>("--epochs") { Description = "Epochs over the trainable queries", DefaultValueFactory = _ => defaults.Epochs };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop after N optimizer steps (also the schedule length)" };
        var dropout = new Option<double>("--dropout") { Description = "Dropout of the trained encoder", DefaultValueFactory = _ => defaults.Dropout };
        var seed = new Option<long>("--seed") { Description = "Seed of shuffling, sampling and dropout", DefaultValueFactory = _ => defaults.Seed };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per query/passage", DefaultValueFactory = _ => defaults.MaxLength };
        var lambdaD = new Option<double>("--lambda-d") { Description = "FLOPS weight on documents (0: off)", DefaultValueFactory = _ => 0 };
        var lambdaQ = new Option<double>("--lambda-q") { Description = "L1 weight on queries (0: off)", DefaultValueFactory = _ => 0 };
        var warmupD = new Option<int>("--reg-warmup-d") { Description = "Steps of quadratic warmup of --lambda-d", DefaultValueFactory = _ => 0 };
        var warmupQ = new Option<int>("--reg-warmup-q") { Description = "Steps of quadratic warmup of --lambda-q", DefaultValueFactory = _ => 0 };
        var rescale = new Option<bool>("--rescale-teacher") { Description = "Min-max rescale teacher scores per query before the KL" };
        var noCache = new Option<bool>("--no-doc-cache") { Description = "Re-encode documents every step instead of caching the frozen representations" };
        var saveSteps = new Option<long?>("--save-steps") { Description = "Also checkpoint every N steps" };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => defaults.Device };
        var log = new Option<string?>("--log") { Description = "JSONL log, one line per step (default OUT/log.jsonl)" };
        var resume = new Option<string?>("--resume") { Description = "Continue from OUT/checkpoint-N" };
        var devQueries = new Option<string?>("--dev-queries") { Description = "Validation queries (with --dev-qrels and --dev-run)" };
        var devQrels = new Option<string?>("--dev-qrels") { Description = "Validation qrels" };
        var devRun = new Option<string?>("--dev-run") { Description = "Validation candidates to re-rank (a first-stage run)" };

        var command = new Command("train", "Train a query encoder by DiSCo distillation, or a SPLADE model on triplets");
        foreach (var option in new Option[]
        {
            recipe, queries, collection, qrels, teacherRun, queryModel, docModel, output, triplets, hardNegatives, model, loss,
            batchSize, negatives, window, lr, schedule, warmupRatio, warmupSteps, weightDecay, maxGradNorm, accumulation,
            epochs, maxSteps, dropout, seed, maxLength, lambdaD, lambdaQ, warmupD, warmupQ, rescale, noCache, saveSteps,
            device, log, resume, devQueries, devQrels, devRun,
        })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var recipeName = parse.GetValue(recipe)!;
            if (recipeName == "splade")
            {
                // The flags' displayed defaults are DiSCo's; the SPLADE recipe keeps its own
                // (SpladeTrainingOptions) unless a flag is given explicitly.
                var spladeDefaults = new SpladeTrainingOptions { ModelDir = "", OutputDir = "" };
                var spladeOptions = new SpladeTrainingOptions
                {
                    TripletsPath = parse.GetValue(triplets),
                    QueriesPath = parse.GetValue(queries),
                    CollectionPath = parse.GetValue(collection),
                    QrelsPath = parse.GetValue(qrels),
                    HardNegativesPath = parse.GetValue(hardNegatives),
                    ModelDir = Require(parse.GetValue(model) ?? parse.GetValue(queryModel), "--model"),
                    OutputDir = parse.GetValue(output)!,
                    Loss = ParseLoss(parse.GetValue(loss)!),
                    BatchSize = Given(parse, batchSize, spladeDefaults.BatchSize),
                    LearningRate = Given(parse, lr, spladeDefaults.LearningRate),
                    Schedule = parse.GetValue(schedule) == "constant" ? LearningRateShape.Constant : LearningRateShape.Linear,
                    WarmupRatio = Given(parse, warmupRatio, spladeDefaults.WarmupRatio),
                    WarmupSteps = parse.GetValue(warmupSteps),
                    WeightDecay = Given(parse, weightDecay, spladeDefaults.WeightDecay),
                    MaxGradNorm = Given(parse, maxGradNorm, spladeDefaults.MaxGradNorm),
                    Epochs = Given(parse, epochs, spladeDefaults.Epochs),
                    MaxSteps = parse.GetValue(maxSteps),
                    Dropout = Given(parse, dropout, spladeDefaults.Dropout),
                    Seed = Given(parse, seed, spladeDefaults.Seed),
                    MaxLength = Given(parse, maxLength, spladeDefaults.MaxLength),
                    LambdaDocument = parse.GetValue(lambdaD),
                    LambdaQuery = parse.GetValue(lambdaQ),
                    WarmupDocument = parse.GetValue(warmupD),
                    WarmupQuery = parse.GetValue(warmupQ),
                    Device = Given(parse, device, spladeDefaults.Device),
                    LogPath = parse.GetValue(log),
                };
                using var spladeTrainer = new SpladeTrainer(spladeOptions, Console.Error);
                var spladeSummary = spladeTrainer.Run();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained {spladeSummary.StepsRun} steps; last loss {spladeSummary.LastLoss:G6}; model in {spladeSummary.FinalModelDir}"));
                return 0;
            }

            var queryModelDir = ModelOptions.Loader().Locate(Require(parse.GetValue(queryModel), "--query-model"), EncoderRole.Document);
            var options = new DiscoTrainingOptions
            {
                QueriesPath = Require(parse.GetValue(queries), "--queries"),
                CollectionPath = Require(parse.GetValue(collection), "--collection"),
                QrelsPath = Require(parse.GetValue(qrels), "--qrels"),
                TeacherRunPath = Require(parse.GetValue(teacherRun), "--teacher-run"),
                QueryModelDir = queryModelDir,
                DocumentModelDir = parse.GetValue(docModel) is { } doc ? ModelOptions.Loader().Locate(doc, EncoderRole.Document) : queryModelDir,
                OutputDir = parse.GetValue(output)!,
                BatchSize = parse.GetValue(batchSize),
                Negatives = parse.GetValue(negatives),
                Window = RankWindow.Parse(parse.GetValue(window)!),
                LearningRate = parse.GetValue(lr),
                Schedule = parse.GetValue(schedule) == "constant" ? LearningRateShape.Constant : LearningRateShape.Linear,
                WarmupRatio = parse.GetValue(warmupRatio),
                WarmupSteps = parse.GetValue(warmupSteps),
                WeightDecay = parse.GetValue(weightDecay),
                MaxGradNorm = parse.GetValue(maxGradNorm),
                GradientAccumulation = parse.GetValue(accumulation),
                Epochs = parse.GetValue(epochs),
                MaxSteps = parse.GetValue(maxSteps),
                Dropout = parse.GetValue(dropout),
                Seed = parse.GetValue(seed),
                MaxLength = parse.GetValue(maxLength),
                Loss = new DiscoLossOptions(
                    LambdaDocument: parse.GetValue(lambdaD),
                    WarmupDocument: parse.GetValue(warmupD),
                    LambdaQuery: parse.GetValue(lambdaQ),
                    WarmupQuery: parse.GetValue(warmupQ),
                    RescaleTeacher: parse.GetValue(rescale)),
                CacheDocuments = !parse.GetValue(noCache),
                SaveSteps = parse.GetValue(saveSteps),
                Device = parse.GetValue(device)!,
                LogPath = parse.GetValue(log),
                ResumeFrom = parse.GetValue(resume),
                DevQueriesPath = parse.GetValue(devQueries),
                DevQrelsPath = parse.GetValue(devQrels),
                DevRunPath = parse.GetValue(devRun),
            };
            using var trainer = new DiscoTrainer(options, Console.Error);
            var summary = trainer.Run();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trained {summary.StepsRun} steps (to step {summary.FinalStep}) in {summary.Seconds:F1}s; last loss {summary.LastLoss:G6}; model in {summary.FinalModelDir}"));
            if (summary.BestValidation is { } best)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best validation MRR@10 {best.MrrAt10:F4}"));
            return 0;
        });
        return command;
    }

    private static string Require(string? value, string name) =>
        value ?? throw new UsageException($"{name} is required for this recipe");


    private static PairwiseLoss ParseLoss(string name) => name switch
    {
        "in-batch-nll" => PairwiseLoss.InBatchNll,
        "margin-mse" => PairwiseLoss.MarginMse,
        "kl" => PairwiseLoss.Kl,
        _ => throw new UsageException($"--loss '{name}': expected in-batch-nll, margin-mse or kl"),
    };

    /// <summary>The option's value when the user gave it, otherwise <paramref name="recipeDefault"/>.</summary>
    private static T Given<T>(ParseResult parse, Option<T> option, T recipeDefault) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : recipeDefault;
}
