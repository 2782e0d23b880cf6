using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Disco.Core;
using Disco.Core.Queries;
using Disco.Core.Runs;
using Disco.Core.Vectors;
using Disco.Datasets;
using Disco.Evaluation;
using Disco.Index;
using Disco.Retrieval;

namespace Disco.Experiments;

/// <summary>
/// Evaluates a SPLADE model (or a DiSCo document/query pair) on BEIR datasets as SPLADE's
/// <c>beir_eval.py</c> does: index each corpus (<c>title + " " + text</c>), retrieve the test queries,
/// drop documents whose id is the query's, and measure nDCG@10 and Recall@100 per dataset. Indexes
/// are cached per dataset and document model, so a second model or a second run reuses them.
/// </summary>
public sealed class BeirEvaluation : IDisposable
{
    private static readonly MeasureSet Measures = MeasureSet.Parse(["ndcg_cut.10", "recall.100"]);

    private readonly ModelLoader _loader;
    private readonly string _documentModel;
    private readonly string _queryModel;
    private ISparseEncoder? _documentEncoder;
    private ISparseEncoder? _queryEncoder;

    /// <param name="queryModel">The query encoder; null: the document model (its <c>query/</c> folder when it has one).</param>
    public BeirEvaluation(ModelLoader loader, string documentModel, string? queryModel, BeirOptions options)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(documentModel);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _loader = loader;
        _documentModel = documentModel;
        _queryModel = queryModel ?? documentModel;
        Options = options;
    }

    public BeirOptions Options { get; }

    /// <summary>Evaluates every dataset folder in order.</summary>
    public BeirReport Evaluate(IEnumerable<string> datasetDirectories, Action<BeirDatasetResult>? finished = null)
    {
        ArgumentNullException.ThrowIfNull(datasetDirectories);
        var datasets = datasetDirectories.Select(d => BeirDataset.Open(d, Options.Split)).ToList();
        var duplicate = datasets.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DiscoException($"two datasets are named '{duplicate.Key}' ({string.Join(", ", duplicate.Select(d => d.Directory))}); their indexes and results would collide");
        var results = new List<BeirDatasetResult>();
        foreach (var dataset in datasets)
        {
            var result = Evaluate(dataset, runPath: null);
            results.Add(result);
            finished?.Invoke(result);
        }
        return new BeirReport(results, _documentModel, _queryModel);
    }

    /// <summary>Evaluates one dataset; writes its run to <paramref name="runPath"/> when given.</summary>
    public BeirDatasetResult Evaluate(BeirDataset dataset, string? runPath)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var indexDirectory = IndexDirectory(dataset);
        var reused = !Options.Force && IsComplete(indexDirectory);
        if (!reused)
        {
            _documentEncoder ??= _loader.LoadDirectory(_loader.Locate(_documentModel, EncoderRole.Document), Options.Encoding);
            // The cache is this tool's own tree: its per-dataset folder is created here, since the
            // index builder creates only the index's folder (a mistyped parent is an error there).
            Directory.CreateDirectory(Path.GetDirectoryName(indexDirectory)!);
            IndexBuilder.FromRecords(dataset.ReadCorpus(), _documentEncoder, indexDirectory,
                progress: Options.Progress?.Invoke($"{dataset.Name}: indexing", null),
                buildInfo: new Dictionary<string, string> { ["model"] = _documentModel, ["collection"] = Path.GetFullPath(dataset.CorpusPath) });
        }
        var qrels = dataset.ReadQrels();
        var queries = dataset.ReadQueries(qrels);
        if (queries.Count == 0)
            throw new DiscoException($"{dataset.QueriesPath}: no query has judgments in {dataset.QrelsPath}");
        _queryEncoder ??= QueryEncoder();
        using var index = SparseIndex.Open(indexDirectory);
        // One more than the depth, so that dropping the query's own id still leaves TopK documents.
        var depth = Options.TopK + (Options.IgnoreIdenticalIds ? 1 : 0);
        var retriever = new ConversationalRetriever(_queryEncoder, index, new RetrieverOptions(Search: new SearchOptions(TopK: depth)));
        var found = retriever.SearchMany([.. queries.Select(q => Query.FromText(q.Id, q.Text))], batch: new BatchSearchOptions(Options.SearchThreads)
        {
            EncodeProgress = Options.Progress?.Invoke($"{dataset.Name}: encoding queries", queries.Count),
            SearchProgress = Options.Progress?.Invoke($"{dataset.Name}: searching", queries.Count),
        });
        var run = new Run(found.ToRun().Rankings.Select(r => new Ranking(r.QueryId,
            [.. r.Documents.Where(d => !Options.IgnoreIdenticalIds || d.DocId != r.QueryId).Take(Options.TopK)])));
        if (runPath is not null)
            run.Write(runPath);
        var evaluation = Evaluator.Evaluate(qrels, run, Measures);
        return new BeirDatasetResult(dataset.Name, index.DocumentCount, evaluation.Queries.Count, evaluation["ndcg_cut_10"], evaluation["recall_100"], indexDirectory, reused);
    }

    /// <summary>The query encoder; the document encoder itself when both roles resolve to one folder.</summary>
    private ISparseEncoder QueryEncoder()
    {
        var directory = _loader.Locate(_queryModel, EncoderRole.Query);
        if (_documentEncoder is not null && Path.GetFullPath(directory) == Path.GetFullPath(_loader.Locate(_documentModel, EncoderRole.Document)))
            return _documentEncoder;
        return _loader.LoadDirectory(directory, Options.Encoding);
    }

    /// <summary>
    /// <c>CacheDirectory/&lt;dataset&gt;/&lt;model&gt;-&lt;hash&gt;</c>: the hash covers the document
    /// model as given and as resolved, the encoder settings that change vectors, and the corpus
    /// file's size and time, so a changed corpus or setting gets a new index.
    /// </summary>
    public string IndexDirectory(BeirDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var corpus = new FileInfo(dataset.CorpusPath);
        var resolved = Directory.Exists(_documentModel) ? Path.GetFullPath(_documentModel) : _documentModel;
        var e = Options.Encoding;
        var identity = string.Join('\n', resolved, e.Aggregation, e.MaxLength.ToString(CultureInfo.InvariantCulture), e.TopK?.ToString(CultureInfo.InvariantCulture) ?? "-",
            e.MinWeight.ToString("R", CultureInfo.InvariantCulture), e.Precision, corpus.Length.ToString(CultureInfo.InvariantCulture), corpus.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..12];
        var name = new string([.. Path.GetFileName(Path.TrimEndingDirectorySeparator(_documentModel)).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        return Path.Combine(Options.CacheDirectory, dataset.Name, $"{name}-{hash}");
    }

    /// <summary>An index is complete when it opens: builds write to a temporary folder and rename it at the end.</summary>
    private static bool IsComplete(string directory)
    {
        if (!Directory.Exists(directory))
            return false;
        try
        {
            using var index = SparseIndex.Open(directory);
            return true;
        }
        catch (DiscoException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_queryEncoder, _documentEncoder))
            _queryEncoder?.Dispose();
        _documentEncoder?.Dispose();
    }
}
