using Disco.Core.Vectors;

namespace Disco.Index.Tests;

/// <summary>
/// Scores every document against the query from the raw input vectors, independently of the
/// index's postings, with the documented arithmetic: impacts are the float weights (or
/// <c>clamp(round(w / scale), 1, maxCode) * scale</c> when quantized), contributions
/// <c>weight * impact</c> are summed in float32 in increasing index-term-id order, only positive
/// scores count, and ties go to the earlier document.
/// </summary>
internal static class BruteForceOracle
{
    public static List<(string DocId, float Score)> TopK(IReadOnlyList<TermVector> documents, SearchQuery query, SparseIndex index, int k, ImpactEncoding impacts)
    {
        var maxWeight = documents.SelectMany(d => d.Weights).DefaultIfEmpty(0f).Max();
        var maxCode = impacts switch { ImpactEncoding.UInt8 => 255, ImpactEncoding.UInt16 => 65535, _ => 0 };
        var scale = maxCode == 0 ? 1f : maxWeight > 0 ? maxWeight / maxCode : 1f;
        var scored = new List<(int Doc, float Score)>();
        for (var d = 0; d < documents.Count; d++)
        {
            var weights = new Dictionary<string, float>();
            for (var i = 0; i < documents[d].Terms.Length; i++)
                weights[documents[d].Terms[i]] = weights.GetValueOrDefault(documents[d].Terms[i]) + documents[d].Weights[i];
            var score = 0f;
            for (var t = 0; t < query.Count; t++)
            {
                if (!weights.TryGetValue(index.Term(query.Terms[t]), out var w) || w == 0)
                    continue;
                var impact = maxCode == 0 ? w : Math.Clamp((int)MathF.Round(w / scale), 1, maxCode) * scale;
                score += query.Weights[t] * impact;
            }
            if (score > 0)
                scored.Add((d, score));
        }
        return [.. scored.OrderByDescending(s => s.Score).ThenBy(s => s.Doc).Take(k).Select(s => (documents[s.Doc].Id, s.Score))];
    }
}
