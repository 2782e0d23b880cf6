using System.CommandLine;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Text;

namespace Disco.Cli.Commands;

/// <summary>
/// The options that turn a query file into vectors (--model, --agg, --max-length, --batch-size,
/// --history), shared by the verbs that read queries (search, index stats).
/// </summary>
internal sealed class QueryEncodingOptions
{
    private readonly Option<string?> _model = new("--model") { Description = "SPLADE model directory to encode text queries (its query/ encoder when present)" };
    private readonly Option<string> _aggregation = ModelOptions.Aggregation();
    private readonly Option<int> _maxLength = ModelOptions.MaxLength();
    private readonly Option<int> _batchSize = new("--batch-size") { Description = "Queries per forward pass", DefaultValueFactory = _ => 32 };
    private readonly Option<string> _history = new("--history") { Description = "Conversation flattening: full (q_n [SEP] a_n-1 [SEP] q_n-1 ...), last (q_n only) or questions", DefaultValueFactory = _ => "full" };

    public QueryEncodingOptions() => _history.AcceptOnlyFromAmong("full", "last", "questions");

    public void AddTo(Command command)
    {
        command.Options.Add(_model);
        command.Options.Add(_aggregation);
        command.Options.Add(_maxLength);
        command.Options.Add(_batchSize);
        command.Options.Add(_history);
    }

    /// <summary>Reads the queries of <paramref name="path"/>: vectors as they are, texts and conversations encoded with --model.</summary>
    public List<TermVector> Read(ParseResult parse, string path, int threads, out TimeSpan encodeTime)
    {
        var encoderOptions = new SpladeEncoderOptions(ModelOptions.ParseAggregation(parse.GetValue(_aggregation)!), parse.GetValue(_maxLength), parse.GetValue(_batchSize), Threads: threads);
        var flattening = new FlatteningOptions(parse.GetValue(_history) switch { "last" => FlatteningMode.LastQuestion, "questions" => FlatteningMode.QuestionsOnly, _ => FlatteningMode.Full });
        return QueryInput.Read(path, parse.GetValue(_model), encoderOptions, flattening, out encodeTime);
    }
}
