using System.Globalization;
using System.Text;

namespace Disco.Index;

/// <summary>
/// SPLADE's index statistics: mean non-zeros per document (<c>L0_d</c>, index_stats.json), the
/// posting-length distribution (index_dist.json, plotted like utils/index_figure.py) and the
/// FLOPS estimate of flops.py for a query set.
/// </summary>
public sealed class IndexStatistics
{
    private IndexStatistics(SparseIndex index)
    {
        Documents = index.DocumentCount;
        Terms = index.TermCount;
        Postings = index.PostingCount;
        PostingLengths = Enumerable.Range(0, index.TermCount).ToDictionary(index.Term, t => index.PostingLength(t), StringComparer.Ordinal);
    }

    public int Documents { get; }

    public int Terms { get; }

    public long Postings { get; }

    /// <summary>Mean number of non-zero terms per document. Exact here; SPLADE averages per batch.</summary>
    public double MeanDocumentLength => Documents == 0 ? 0 : (double)Postings / Documents;

    /// <summary>Posting-list length per term (index_dist.json).</summary>
    public IReadOnlyDictionary<string, long> PostingLengths { get; }

    public static IndexStatistics Compute(SparseIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return new IndexStatistics(index);
    }

    /// <summary>
    /// FLOPS = Σ_t p_d(t) · p_q(t): p_d = posting length / documents, p_q = share of the queries
    /// whose (pruned) vector contains t. The expected number of multiply-adds per (query, document) pair.
    /// </summary>
    public static double Flops(SparseIndex index, IReadOnlyList<SearchQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0 || index.DocumentCount == 0)
            return 0;
        var queryCounts = new long[index.TermCount];
        foreach (var q in queries)
        {
            foreach (var t in q.Terms)
                queryCounts[t]++;
        }
        double flops = 0;
        for (var t = 0; t < index.TermCount; t++)
            flops += (double)index.PostingLength(t) / index.DocumentCount * ((double)queryCounts[t] / queries.Count);
        return flops;
    }

    /// <summary>An SVG of posting-list lengths sorted in decreasing order, on a log y-axis.</summary>
    public string PostingLengthPlot()
    {
        var lengths = PostingLengths.Values.Where(v => v > 0).OrderDescending().ToArray();
        const int width = 640, height = 400, left = 70, right = 20, top = 30, bottom = 50;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var maxLog = Math.Ceiling(Math.Log10(Math.Max(10, lengths.FirstOrDefault())));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\">Posting-list sizes ({lengths.Length} terms, {Documents} documents)</text>\n");
        for (var e = 0; e <= maxLog; e++)
        {
            var y = top + plotH - (e / maxLog * plotH);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#ddd\"/><text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">1e{e}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + plotH}\" stroke=\"black\"/><line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{top + plotH}\" y2=\"{top + plotH}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotW / 2)}\" y=\"{height - 12}\" text-anchor=\"middle\">term rank (by posting-list size)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{top + (plotH / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {top + (plotH / 2)})\">posting-list size (log scale)</text>\n");
        if (lengths.Length > 0)
        {
            svg.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
            // At most ~1000 points: the curve is monotone, so a stride loses nothing visible.
            var stride = Math.Max(1, lengths.Length / 1000);
            for (var i = 0; i < lengths.Length; i += stride)
                AppendPoint(i);
            AppendPoint(lengths.Length - 1);
            svg.Append("\"/>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();

        void AppendPoint(int i)
        {
            var x = left + (lengths.Length == 1 ? 0 : (double)i / (lengths.Length - 1) * plotW);
            var y = top + plotH - (Math.Log10(lengths[i]) / maxLog * plotH);
            svg.Append(CultureInfo.InvariantCulture, $"{x:F1},{y:F1} ");
        }
    }
}
