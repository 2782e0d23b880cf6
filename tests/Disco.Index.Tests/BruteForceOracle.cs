using Disco.Core.Vectors;

namespace Disco.Index.Tests;

/// <summary>
/// Scores every document against the query from the raw input vectors, independently of the
/// index's postings, with the documented arithmetic: impacts are the float weights (or
/// <c>clamp(round(w / scale), 1, maxCode) * scale</c> when quantized), contributions
/// <c>weight * impact</c> are summed in float32 in increasing index-term-id order, only positive
/// scores count, and ties go to the earlier document of <c>documents</c> (list them in the index's
/// internal order for a reordered index).
/// </summary>
internal sealed class BruteForceOracle
{
    private readonly IReadOnlyList<TermVector> _documents;
    private readonly Dictionary<string, float>[] _weights;
    private readonly int _maxCode;
    private readonly float _scale;

    public BruteForceOracle(IReadOnlyList<TermVector> documents, ImpactEncoding impacts)
    {
        _documents = documents;
        var maxWeight = documents.SelectMany(d => d.Weights).DefaultIfEmpty(0f).Max();
        _maxCode = impacts switch { ImpactEncoding.UInt8 => 255, ImpactEncoding.UInt16 => 65535, _ => 0 };
        _scale = _maxCode == 0 ? 1f : maxWeight > 0 ? maxWeight / _maxCode : 1f;
        _weights = new Dictionary<string, float>[documents.Count];
        for (var d = 0; d < documents.Count; d++)
        {
            var weights = _weights[d] = [];
            for (var i = 0; i < documents[d].Terms.Length; i++)
                weights[documents[d].Terms[i]] = weights.GetValueOrDefault(documents[d].Terms[i]) + documents[d].Weights[i];
        }
    }

    public static List<(string DocId, float Score)> TopK(IReadOnlyList<TermVector> documents, SearchQuery query, SparseIndex index, int k, ImpactEncoding impacts) =>
        [.. new BruteForceOracle(documents, impacts).Rank(query, index).Take(k)];

    /// <summary>Every document with a positive score, best first.</summary>
    public List<(string DocId, float Score)> Rank(SearchQuery query, SparseIndex index)
    {
        var terms = query.Terms.Select(index.Term).ToArray();
        var scored = new List<(int Doc, float Score)>();
        for (var d = 0; d < _documents.Count; d++)
        {
            var score = 0f;
            for (var t = 0; t < query.Count; t++)
            {
                if (!_weights[d].TryGetValue(terms[t], out var w) || w == 0)
                    continue;
                var impact = _maxCode == 0 ? w : Math.Clamp((int)MathF.Round(w / _scale), 1, _maxCode) * _scale;
                score += query.Weights[t] * impact;
            }
            if (score > 0)
                scored.Add((d, score));
        }
        return [.. scored.OrderByDescending(s => s.Score).ThenBy(s => s.Doc).Select(s => (_documents[s.Doc].Id, s.Score))];
    }
}
