using System.CommandLine;
using Disco.Cli.Options;
using Disco.Retrieval;
using Disco.Training;

namespace Disco.Cli.Commands;

/// <summary>`disco train disco`: DiSCo distillation; flags and defaults from <see cref="DiscoTrainingOptions"/>.</summary>
public static class TrainDiscoCommand
{
    public static Command Create()
    {
        var defaults = new DiscoTrainingOptions();
        var queries = new Option<string>("--queries") { Description = "Training queries: TSV id<TAB>text (flattened conversations) or conversations JSONL", Required = true };
        var collection = new Option<string>("--collection") { Description = "Passages: TSV id<TAB>text or JSONL", Required = true };
        var qrels = new Option<string>("--qrels") { Description = "Training qrels (TREC or JSON); relevance ≥ 1 is positive", Required = true };
        var teacherRun = new Option<string>("--teacher-run") { Description = "Teacher run {qid: {docid: score}} (JSON or TREC)", Required = true };
        var queryModel = new Option<string>("--query-model") { Description = "Checkpoint (directory or HuggingFace id) the query encoder starts from", Required = true };
        var docModel = new Option<string?>("--doc-model") { Description = "Checkpoint of the frozen document encoder (default: --query-model)" };
        var negatives = new Option<int>("--negatives") { Description = "Negatives sampled per query", DefaultValueFactory = _ => defaults.Negatives };
        var window = new Option<string>("--rank-window") { Description = "Teacher ranks negatives come from, START:END (0-based, END exclusive)", DefaultValueFactory = _ => defaults.Window.ToString() };
        var dropout = new Option<double>("--dropout") { Description = "Dropout of the trained query encoder", DefaultValueFactory = _ => defaults.Dropout };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per query and passage", DefaultValueFactory = _ => defaults.MaxLength };
        var lambdaD = new Option<double>("--lambda-d") { Description = "FLOPS weight on documents (0: off)", DefaultValueFactory = _ => defaults.Loss.LambdaDocument };
        var warmupD = new Option<int>("--reg-warmup-d") { Description = "Steps of DiSCo's quadratic warmup of --lambda-d", DefaultValueFactory = _ => defaults.Loss.WarmupDocument };
        var lambdaQ = new Option<double>("--lambda-q") { Description = "L1 weight on queries (0: off)", DefaultValueFactory = _ => defaults.Loss.LambdaQuery };
        var warmupQ = new Option<int>("--reg-warmup-q") { Description = "Steps of DiSCo's quadratic warmup of --lambda-q", DefaultValueFactory = _ => defaults.Loss.WarmupQuery };
        var rescale = new Option<bool>("--rescale-teacher") { Description = "Min-max rescale teacher scores per query before the KL", DefaultValueFactory = _ => defaults.Loss.RescaleTeacher };
        var noCache = new Option<bool>("--no-doc-cache") { Description = "Re-encode documents every step instead of caching the frozen representations", DefaultValueFactory = _ => !defaults.CacheDocuments };
        var loop = new TrainingLoopOptionGroup(DiscoTrainingOptions.DefaultLoop);

        var command = new Command("disco", "DiSCo distillation: a conversational query encoder learns a teacher's scores; the document encoder stays frozen")
        {
            queries, collection, qrels, teacherRun, queryModel, docModel, negatives, window, dropout, maxLength,
            lambdaD, warmupD, lambdaQ, warmupQ, rescale, noCache,
        };
        loop.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var queryModelDir = CliModels.Loader().Locate(parse.GetValue(queryModel)!, EncoderRole.Document);
            var options = defaults with
            {
                QueriesPath = parse.GetValue(queries),
                CollectionPath = parse.GetValue(collection),
                QrelsPath = parse.GetValue(qrels),
                TeacherRunPath = parse.GetValue(teacherRun),
                QueryModelDir = queryModelDir,
                DocumentModelDir = parse.GetValue(docModel) is { } doc ? CliModels.Loader().Locate(doc, EncoderRole.Document) : null,
                Negatives = parse.GetValue(negatives),
                Window = ParseWindow(parse.GetValue(window)!),
                Dropout = parse.GetValue(dropout),
                MaxLength = parse.GetValue(maxLength),
                Loss = defaults.Loss with
                {
                    LambdaDocument = parse.GetValue(lambdaD),
                    WarmupDocument = parse.GetValue(warmupD),
                    LambdaQuery = parse.GetValue(lambdaQ),
                    WarmupQuery = parse.GetValue(warmupQ),
                    RescaleTeacher = parse.GetValue(rescale),
                },
                CacheDocuments = !parse.GetValue(noCache),
                Loop = loop.Read(parse),
            };
            return Task.FromResult(TrainCommand.Train(new DiscoRecipe(options, Console.Error), options.Loop, cancellation));
        });
        return command;
    }

    private static RankWindow ParseWindow(string text)
    {
        try
        {
            return RankWindow.Parse(text);
        }
        catch (Core.DiscoException e)
        {
            throw new UsageException($"--rank-window: {e.Message}");
        }
    }
}
