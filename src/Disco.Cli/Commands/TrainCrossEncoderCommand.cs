using System.CommandLine;
using Disco.Cli.Options;
using Disco.Retrieval;
using Disco.Training;

namespace Disco.Cli.Commands;

/// <summary>`disco train cross-encoder`: reranker training; flags and defaults from <see cref="CrossEncoderTrainingOptions"/>.</summary>
public static class TrainCrossEncoderCommand
{
    private static readonly Dictionary<string, CrossEncoderLoss> LossNames = new(StringComparer.Ordinal)
    {
        ["listwise"] = CrossEncoderLoss.Listwise,
        ["bce"] = CrossEncoderLoss.Bce,
        ["kl"] = CrossEncoderLoss.Kl,
        ["margin-mse"] = CrossEncoderLoss.MarginMse,
    };

    public static Command Create()
    {
        var defaults = new CrossEncoderTrainingOptions();
        var triplets = new Option<string?>("--triplets") { Description = "TSV q<TAB>d+<TAB>d- [<TAB>s+<TAB>s-] (or use --queries, --collection, --qrels and --run)" };
        var queries = new Option<string?>("--queries") { Description = "Run mode: queries, TSV id<TAB>text or conversations JSONL (flattened)" };
        var collection = new Option<string?>("--collection") { Description = "Passages: TSV id<TAB>text or JSONL (run mode, and validation)" };
        var qrels = new Option<string?>("--qrels") { Description = "Run mode: qrels (TREC or JSON); relevance ≥ 1 is positive" };
        var run = new Option<string?>("--run") { Description = "Run mode: first-stage run (TREC, JSON or SPLADE .pkl.gz); hard negatives from its ranks, its scores are the teacher's" };
        var model = new Option<string>("--model") { Description = "Checkpoint to start from: a cross-encoder, or any BERT or DistilBERT checkpoint (new classification head, one logit)", Required = true };
        var loss = new Option<string>("--loss") { Description = "listwise (softmax CE over 1 positive + N negatives; pairwise with N=1), bce (pointwise), kl or margin-mse (distillation from teacher scores)", DefaultValueFactory = _ => LossNames.First(p => p.Value == defaults.Loss).Key };
        loss.AcceptOnlyFromAmong([.. LossNames.Keys]);
        var negatives = new Option<int>("--negatives") { Description = "Run mode: negatives per query", DefaultValueFactory = _ => defaults.Negatives };
        var window = new Option<string>("--rank-window") { Description = "Run mode: ranks negatives come from, START:END (0-based, END exclusive)", DefaultValueFactory = _ => defaults.Window.ToString() };
        var dropout = new Option<double>("--dropout") { Description = "Dropout of the trained model", DefaultValueFactory = _ => defaults.Dropout };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per query-passage pair; the passage is cut first", DefaultValueFactory = _ => defaults.MaxLength };
        var loop = new TrainingLoopOptionGroup(CrossEncoderTrainingOptions.DefaultLoop);
        var command = new Command("cross-encoder", "Train a cross-encoder reranker (BERT or DistilBERT sequence classifier, one logit) from triplets or a first-stage run with qrels")
        {
            triplets, queries, collection, qrels, run, model, loss, negatives, window, dropout, maxLength,
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
                RunPath = parse.GetValue(run),
                ModelDir = CliModels.Loader().Locate(parse.GetValue(model)!, EncoderRole.Document),
                Loss = LossNames[parse.GetValue(loss)!],
                Negatives = parse.GetValue(negatives),
                Window = RankWindow.Parse(parse.GetValue(window)!),
                Dropout = parse.GetValue(dropout),
                MaxLength = parse.GetValue(maxLength),
                Loop = loop.Read(parse),
            };
            return Task.FromResult(TrainCommand.Train(new CrossEncoderRecipe(options, Console.Error), options.Loop, cancellation));
        });
        return command;
    }
}
