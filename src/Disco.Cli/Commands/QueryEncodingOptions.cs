using System.CommandLine;
using Disco.Core.Conversations;
using Disco.Core.Queries;
using Disco.Core.Vectors;
using Disco.Modeling;
using Disco.Retrieval;

namespace Disco.Cli.Commands;

/// <summary>
/// The options that turn a query file into vectors (--model, --agg, --max-length, --batch-size,
/// --history), shared by the verbs that read queries (search, index stats).
/// </summary>
internal sealed class QueryEncodingOptions
{
    private readonly Option<string?> _model = new("--model", "--query-model") { Description = "SPLADE model directory or HuggingFace id to encode text queries (its query/ encoder when present)" };
    private readonly Option<string> _aggregation = ModelOptions.Aggregation();
    private readonly Option<int> _maxLength = ModelOptions.MaxLength();
    private readonly Option<int> _batchSize = new("--batch-size") { Description = "Queries per forward pass", DefaultValueFactory = _ => SpladeEncoderOptions.DefaultBatchSize };
    private readonly Option<string> _history = new("--history") { Description = "Conversation flattening: full (q_n [SEP] a_n-1 [SEP] q_n-1 ...), last (q_n only) or questions", DefaultValueFactory = _ => "full" };

    public QueryEncodingOptions() => _history.AcceptOnlyFromAmong([.. FlatteningModeNames.Names]);

    public void AddTo(Command command)
    {
        command.Options.Add(_model);
        command.Options.Add(_aggregation);
        command.Options.Add(_maxLength);
        command.Options.Add(_batchSize);
        command.Options.Add(_history);
    }

    public FlatteningOptions Flattening(ParseResult parse) =>
        new(FlatteningModeNames.Parse(parse.GetValue(_history)) ?? FlatteningMode.Full);

    /// <summary>
    /// The query encoder of --model when some query of <paramref name="path"/> needs encoding; null
    /// when all are vectors (a vectors JSONL is searched as it is, even with --model).
    /// </summary>
    public ISparseEncoder? LoadEncoder(ParseResult parse, string path, IReadOnlyList<Query> queries, int threads)
    {
        if (!queries.Any(q => q.NeedsEncoding))
            return null;
        var model = parse.GetValue(_model)
            ?? throw new UsageException($"{path}: queries are text or conversations, not vectors; encoding them needs --model DIR (or give a vectors JSONL from 'disco encode')");
        return ModelOptions.Loader().Load(model, EncoderRole.Query, EncoderOptions(parse, threads));
    }

    /// <summary>The --model (--query-model) value, or null.</summary>
    public string? Model(ParseResult parse) => parse.GetValue(_model);

    public SpladeEncoderOptions EncoderOptions(ParseResult parse, int? threads) =>
        new(ModelOptions.ParseAggregation(parse.GetValue(_aggregation)!), parse.GetValue(_maxLength), parse.GetValue(_batchSize), Threads: threads);
}
