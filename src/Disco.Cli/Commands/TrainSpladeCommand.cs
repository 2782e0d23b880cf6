using System.CommandLine;
using Disco.Cli.Options;
using Disco.Retrieval;
using Disco.Training;

namespace Disco.Cli.Commands;

/// <summary>`disco train splade`: classic SPLADE training; flags and defaults from <see cref="SpladeTrainingOptions"/>.</summary>
public static class TrainSpladeCommand
{
    public static Command Create()
    {
        var defaults = new SpladeTrainingOptions();
        var triplets = new Option<string?>("--triplets") { Description = "TSV q<TAB>d+<TAB>d- [<TAB>s+<TAB>s-] (or use --queries, --collection, --qrels and --hard-negatives)" };
        var queries = new Option<string?>("--queries") { Description = "Hard-negative mode: queries, TSV id<TAB>text or conversations JSONL" };
        var collection = new Option<string?>("--collection") { Description = "Passages (hard-negative mode, and the candidates' texts for validation)" };
        var qrels = new Option<string?>("--qrels") { Description = "Hard-negative mode: qrels (TREC or JSON)" };
        var hardNegatives = new Option<string?>("--hard-negatives") { Description = "Hard-negative mode: scored candidates {qid: {docid: score}} (JSON or TREC)" };
        var model = new Option<string>("--model", "--query-model") { Description = "Checkpoint (directory or HuggingFace id) the shared encoder starts from", Required = true };
        var loss = new Option<string>("--loss") { Description = "in-batch-nll, margin-mse or kl", DefaultValueFactory = _ => LossName(defaults.Loss) };
        loss.AcceptOnlyFromAmong(LossNames.Keys.ToArray());
        var dropout = new Option<double>("--dropout") { Description = "Dropout of the trained encoder", DefaultValueFactory = _ => defaults.Dropout };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per query and passage", DefaultValueFactory = _ => defaults.MaxLength };
        var lambdaD = new Option<double>("--lambda-d") { Description = "FLOPS weight on documents (0: off)", DefaultValueFactory = _ => defaults.LambdaDocument };
        var lambdaQ = new Option<double>("--lambda-q") { Description = "L1 weight on queries (0: off)", DefaultValueFactory = _ => defaults.LambdaQuery };
        var warmupD = new Option<int>("--reg-warmup-d") { Description = "Steps of SPLADE's quadratic warmup of --lambda-d", DefaultValueFactory = _ => defaults.WarmupDocument };
        var warmupQ = new Option<int>("--reg-warmup-q") { Description = "Steps of SPLADE's quadratic warmup of --lambda-q", DefaultValueFactory = _ => defaults.WarmupQuery };
        var loop = new TrainingLoopOptionGroup(SpladeTrainingOptions.DefaultLoop);

        var command = new Command("splade", "Classic SPLADE training of one shared encoder on triplets or hard negatives")
        {
            triplets, queries, collection, qrels, hardNegatives, model, loss, dropout, maxLength, lambdaD, lambdaQ, warmupD, warmupQ,
        };
        loop.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var options = defaults with
            {
                TripletsPath = parse.GetValue(triplets),
                QueriesPath = parse.GetValue(queries),
                CollectionPath = parse.GetValue(collection),
                QrelsPath = parse.GetValue(qrels),
                HardNegativesPath = parse.GetValue(hardNegatives),
                ModelDir = CliModels.Loader().Locate(parse.GetValue(model)!, EncoderRole.Document),
                Loss = LossNames[parse.GetValue(loss)!],
                Dropout = parse.GetValue(dropout),
                MaxLength = parse.GetValue(maxLength),
                LambdaDocument = parse.GetValue(lambdaD),
                LambdaQuery = parse.GetValue(lambdaQ),
                WarmupDocument = parse.GetValue(warmupD),
                WarmupQuery = parse.GetValue(warmupQ),
                Loop = loop.Read(parse),
            };
            return Task.FromResult(TrainCommand.Train(new SpladeRecipe(options, Console.Error), options.Loop, cancellation));
        });
        return command;
    }

    private static readonly Dictionary<string, PairwiseLoss> LossNames = new(StringComparer.Ordinal)
    {
        ["in-batch-nll"] = PairwiseLoss.InBatchNll,
        ["margin-mse"] = PairwiseLoss.MarginMse,
        ["kl"] = PairwiseLoss.Kl,
    };

    private static string LossName(PairwiseLoss loss) => LossNames.First(p => p.Value == loss).Key;
}
