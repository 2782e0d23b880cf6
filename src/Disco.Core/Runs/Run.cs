using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Disco.Core.IO;

namespace Disco.Core.Runs;

/// <summary>
/// A retrieval run: for each query (in order) its ranked documents. Read and written as TREC
/// (<c>qid Q0 docid rank score tag</c>) or SPLADE's JSON (<c>{qid: {docid: score}}</c>); the
/// evaluator takes it as it is, as a <c>qid → docid → score</c> map, so a run made in memory is
/// evaluated without a file round trip.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "The domain's own name; the map is a view for the evaluator.")]
public sealed class Run : IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>
{
    public const string DefaultTag = "disco";

    private readonly List<Ranking> _rankings;
    private readonly Dictionary<string, Ranking> _byQuery;

    /// <summary>A run of <paramref name="rankings"/> in the given order; a query listed twice is an error.</summary>
    public Run(IEnumerable<Ranking> rankings)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        _rankings = [.. rankings];
        _byQuery = new Dictionary<string, Ranking>(_rankings.Count, StringComparer.Ordinal);
        foreach (var r in _rankings)
        {
            if (!_byQuery.TryAdd(r.QueryId, r))
                throw new DiscoException($"query '{r.QueryId}' appears twice in the run");
        }
    }

    /// <summary>The queries' rankings in run order.</summary>
    public IReadOnlyList<Ranking> Rankings => _rankings;

    public int Count => _rankings.Count;

    public Ranking this[string queryId] => _byQuery[queryId];

    public IEnumerable<string> Keys => _rankings.Select(r => r.QueryId);

    public IEnumerable<Ranking> Values => _rankings;

    public bool ContainsKey(string key) => _byQuery.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Ranking value) => _byQuery.TryGetValue(key, out value);

    /// <summary>
    /// A run from unordered <c>qid → docid → score</c> maps (fusion, merging): queries in ordinal
    /// order, documents by score descending with ties by id, at most <paramref name="depth"/> each.
    /// </summary>
    public static Run FromScores<TDocs>(IEnumerable<KeyValuePair<string, TDocs>> scores, int? depth = null)
        where TDocs : IEnumerable<KeyValuePair<string, double>>
    {
        ArgumentNullException.ThrowIfNull(scores);
        return new Run(scores.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => Ranking.FromScores(q.Key, q.Value, depth)));
    }

    /// <summary>
    /// Reads a run, TREC or JSON (told apart by the first non-blank character) or SPLADE's pickled
    /// scores (<c>*.pkl.gz</c>, told apart by their first bytes), reporting bytes read.
    /// </summary>
    public static Run Read(string path, IProgress<long>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path) && RestrictedPickle.LooksLikePickle(path))
        {
            var scores = ReadPickle(path);
            progress?.Report(new FileInfo(path).Length);
            return scores;
        }
        if (!NestedJsonFile.LooksLikeJson(path))
            return ReadTrec(path, progress);
        var run = ReadJson(path);
        progress?.Report(new FileInfo(path).Length);
        return run;
    }

    /// <summary>
    /// Reads a TREC run. The rank and tag columns are ignored, as in trec_eval; a query's lines
    /// need not be contiguous; a document listed twice for one query is an error, as in trec_eval.
    /// </summary>
    public static Run ReadTrec(string path, IProgress<long>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var order = new List<string>();
        var byQuery = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        using var reader = new TrecLineReader(path, progress);
        Dictionary<string, double>? current = null;
        string? currentQid = null;
        while (reader.MoveNext())
        {
            if (reader.FieldCount != 6)
                throw reader.Error($"expected 6 fields 'qid Q0 docid rank score tag', found {reader.FieldCount}");
            var qid = reader.QueryId(0);
            if (!ReferenceEquals(qid, currentQid))
            {
                currentQid = qid;
                if (!byQuery.TryGetValue(qid, out current))
                {
                    current = new Dictionary<string, double>(StringComparer.Ordinal);
                    byQuery.Add(qid, current);
                    order.Add(qid);
                }
            }
            var score = reader.Double(4, "score");
            var doc = reader.FieldString(2);
            if (!current!.TryAdd(doc, score))
                throw reader.Error($"query '{qid}': duplicate document '{doc}' (trec_eval rejects runs with duplicate documents)");
        }
        return new Run(order.Select(q => new Ranking(q, byQuery[q])));
    }

    /// <summary>Reads SPLADE's JSON run <c>{qid: {docid: score}}</c>; documents keep the file's order.</summary>
    public static Run ReadJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var raw = NestedJsonFile.Read(path, "score", ParseScore);
        return new Run(raw.Select(q => new Ranking(q.Key, q.Value)));
    }

    /// <summary>
    /// Reads SPLADE's pickled scores <c>{qid: {docid: score}}</c> (gzip-compressed or not; ids may be
    /// ints or strings, scores ints or floats) through <see cref="RestrictedPickle"/>, which runs
    /// nothing from the file. Documents keep the file's order.
    /// </summary>
    public static Run ReadPickle(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (RestrictedPickle.Read(path) is not Dictionary<string, object> queries)
            throw new DataFormatException(path, 0, "the pickle does not hold a dict {qid: {docid: score}}");
        var rankings = new List<Ranking>(queries.Count);
        foreach (var (qid, docs) in queries)
        {
            if (docs is not Dictionary<string, object> scored)
                throw new DataFormatException(path, 0, $"query '{qid}': expected a dict {{docid: score}}");
            var scores = new Dictionary<string, double>(scored.Count, StringComparer.Ordinal);
            foreach (var (doc, value) in scored)
            {
                scores[doc] = value switch
                {
                    long n => n,
                    double d when !double.IsNaN(d) => d,
                    _ => throw new DataFormatException(path, 0, $"query '{qid}', document '{doc}': the score is not a number"),
                };
            }
            rankings.Add(new Ranking(qid, scores));
        }
        return new Run(rankings);
    }

    /// <summary>Writes the run atomically in <see cref="RunFormats.ForPath"/>'s format; <paramref name="tag"/> fills TREC's last column.</summary>
    public void Write(string path, RunFormat? format = null, string tag = DefaultTag)
    {
        if (RunFormats.ForPath(path, format) == RunFormat.Json)
            AtomicFile.Write(path, WriteJson);
        else
            AtomicFile.Write(path, stream => WriteTrec(stream, tag));
    }

    /// <summary>
    /// TREC lines in run order, ranks from 1, as UTF-8 (a lone surrogate in an id becomes U+FFFD).
    /// Each line is formatted straight into one pooled byte buffer (ids transcoded in place, rank
    /// and score through <see cref="IUtf8SpanFormattable"/>), so a run of a million lines
    /// allocates nothing per line; the score is <see cref="FormatScore(double)"/>'s text.
    /// </summary>
    public void WriteTrec(Stream stream, string tag = DefaultTag)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tag);
        var tagBytes = Encoding.UTF8.GetBytes(tag);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        var used = 0;
        try
        {
            foreach (var ranking in _rankings)
            {
                var qid = Encoding.UTF8.GetBytes(ranking.QueryId);
                var docs = ranking.Documents;
                for (var i = 0; i < docs.Count; i++)
                {
                    var doc = docs[i].DocId;
                    // qid " Q0 " doc ' ' rank ' ' score ' ' tag '\n'; a score is at most 24 characters, a rank 10.
                    var longest = qid.Length + 4 + Encoding.UTF8.GetMaxByteCount(doc.Length) + 1 + 10 + 1 + 32 + 1 + tagBytes.Length + 1;
                    if (buffer.Length - used < longest)
                    {
                        stream.Write(buffer, 0, used);
                        used = 0;
                        if (buffer.Length < longest)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = ArrayPool<byte>.Shared.Rent(longest);
                        }
                    }
                    var line = buffer.AsSpan(used);
                    qid.CopyTo(line);
                    var at = qid.Length;
                    " Q0 "u8.CopyTo(line[at..]);
                    at += 4;
                    at += Encoding.UTF8.GetBytes(doc, line[at..]);
                    line[at++] = (byte)' ';
                    (i + 1).TryFormat(line[at..], out var written, default, CultureInfo.InvariantCulture);
                    at += written;
                    line[at++] = (byte)' ';
                    at += FormatScore(docs[i].Score, line[at..]);
                    line[at++] = (byte)' ';
                    tagBytes.CopyTo(line[at..]);
                    at += tagBytes.Length;
                    line[at++] = (byte)'\n';
                    used += at;
                }
            }
            stream.Write(buffer, 0, used);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>SPLADE's <c>{qid: {docid: score}}</c>, in run order.</summary>
    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        foreach (var ranking in _rankings)
        {
            w.WriteStartObject(ranking.QueryId);
            foreach (var d in ranking.Documents)
            {
                if (IsFloat(d.Score))
                    w.WriteNumber(d.DocId, (float)d.Score);
                else
                    w.WriteNumber(d.DocId, d.Score);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// The shortest text that reads back to the same score: a float's (what search produces, so
    /// <c>12.3456</c> and not <c>12.345600128173828</c>), else the double's.
    /// </summary>
    public static string FormatScore(double score) => IsFloat(score)
        ? ((float)score).ToString("R", CultureInfo.InvariantCulture)
        : score.ToString("R", CultureInfo.InvariantCulture);

    /// <summary><see cref="FormatScore(double)"/>'s text as UTF-8 into <paramref name="destination"/> (32 bytes are always enough); returns the bytes written.</summary>
    public static int FormatScore(double score, Span<byte> destination)
    {
        var done = IsFloat(score)
            ? ((float)score).TryFormat(destination, out var written, "R", CultureInfo.InvariantCulture)
            : score.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
        return done ? written : throw new ArgumentException("too small for a score", nameof(destination));
    }

    private static bool IsFloat(double score) => (double)(float)score == score || double.IsNaN(score);

    private static double ParseScore(ref Utf8JsonReader reader, Func<string, DataFormatException> error)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || double.IsNaN(value))
            throw error($"score {NestedJsonFile.Describe(ref reader)} is not a number");
        return value;
    }

    IReadOnlyDictionary<string, double> IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>.this[string key] => this[key];

    IEnumerable<IReadOnlyDictionary<string, double>> IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>.Values => _rankings;

    bool IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>.TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyDictionary<string, double> value)
    {
        var found = _byQuery.TryGetValue(key, out var ranking);
        value = ranking;
        return found;
    }

    IEnumerator<KeyValuePair<string, IReadOnlyDictionary<string, double>>> IEnumerable<KeyValuePair<string, IReadOnlyDictionary<string, double>>>.GetEnumerator()
    {
        foreach (var r in _rankings)
            yield return new KeyValuePair<string, IReadOnlyDictionary<string, double>>(r.QueryId, r);
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, IReadOnlyDictionary<string, double>>>)this).GetEnumerator();
}
