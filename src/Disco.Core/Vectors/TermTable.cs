namespace Disco.Core.Vectors;

/// <summary>
/// A vocabulary looked up by the characters of a token without building its string: term id ↔
/// term string, through <see cref="Dictionary{TKey, TValue}"/>'s alternate lookup on
/// <see cref="ReadOnlySpan{T}"/>. Built once per index (its terms) so a query's tokens, read from
/// JSON, go straight to term ids; or growing as a reader meets tokens, so each distinct token is
/// allocated once per file instead of once per occurrence.
/// </summary>
public sealed class TermTable
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _terms;

    /// <summary>A table of <paramref name="terms"/> (id = position; a repeated string keeps its first id) that never grows.</summary>
    public TermTable(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        _terms = [.. terms];
        _ids = new Dictionary<string, int>(_terms.Count, StringComparer.Ordinal);
        for (var i = 0; i < _terms.Count; i++)
            _ids.TryAdd(_terms[i], i);
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>An empty table that <see cref="Intern"/> grows.</summary>
    public TermTable()
        : this([])
    {
        Grows = true;
    }

    /// <summary>True for a table that adds the tokens it has not seen.</summary>
    public bool Grows { get; }

    public int Count => _terms.Count;

    public string this[int id] => _terms[id];

    /// <summary>The id of <paramref name="token"/>, or -1.</summary>
    public int Find(ReadOnlySpan<char> token) => _lookup.TryGetValue(token, out var id) ? id : -1;

    /// <summary>The id of <paramref name="term"/>, or -1.</summary>
    public int Find(string term) => _ids.TryGetValue(term, out var id) ? id : -1;

    /// <summary>The id of <paramref name="token"/>, added first when the table grows; -1 when it is not there and the table does not grow.</summary>
    public int Intern(ReadOnlySpan<char> token)
    {
        if (_lookup.TryGetValue(token, out var id))
            return id;
        if (!Grows)
            return -1;
        var term = token.ToString();
        _ids.Add(term, _terms.Count);
        _terms.Add(term);
        return _terms.Count - 1;
    }
}
