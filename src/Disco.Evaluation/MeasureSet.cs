using System.Globalization;
using Disco.Core;

namespace Disco.Evaluation;

/// <summary>
/// A set of measures parsed from trec_eval's <c>-m</c> syntax (<c>map</c>, <c>ndcg_cut.3,10</c>, <c>P</c>) or
/// SPLADE-style aliases (<c>mrr_10</c>, <c>recall_100</c>, <c>ndcg_cut_3</c>, <c>ndcg@3</c>). Measures are kept in
/// trec_eval's print order whatever order they were asked in.
/// </summary>
public sealed class MeasureSet
{
    private static readonly int[] TrecDefaultCutoffs = [5, 10, 15, 20, 30, 100, 200, 500, 1000];

    private static readonly (string Name, MeasureKind Kind, int[] DefaultCutoffs)[] Table =
    [
        ("num_q", MeasureKind.NumQ, []),
        ("num_ret", MeasureKind.NumRet, []),
        ("num_rel", MeasureKind.NumRel, []),
        ("num_rel_ret", MeasureKind.NumRelRet, []),
        ("map", MeasureKind.Map, []),
        ("Rprec", MeasureKind.Rprec, []),
        ("recip_rank", MeasureKind.RecipRank, []),
        ("P", MeasureKind.P, TrecDefaultCutoffs),
        ("recall", MeasureKind.Recall, TrecDefaultCutoffs),
        ("ndcg", MeasureKind.Ndcg, []),
        ("ndcg_cut", MeasureKind.NdcgCut, TrecDefaultCutoffs),
        ("success", MeasureKind.Success, [1, 5, 10]),
        // Not trec_eval measures: defaults follow SPLADE's mrr_10 and judged@10/100/1000.
        ("mrr", MeasureKind.Mrr, [10]),
        ("judged", MeasureKind.Judged, [10, 100, 1000]),
    ];

    private readonly SortedDictionary<MeasureKind, SortedSet<int>> _measures;

    private MeasureSet(SortedDictionary<MeasureKind, SortedSet<int>> measures)
    {
        _measures = measures;
        Measures = [.. measures.Select(p => new Measure(p.Key, [.. p.Value]))];
        ValueNames = [.. Measures.SelectMany(m => m.ValueNames)];
    }

    /// <summary>The measures in trec_eval print order.</summary>
    public IReadOnlyList<Measure> Measures { get; }

    /// <summary>Every printed value name in order (<c>num_q</c>, <c>map</c>, <c>P_5</c>, ...).</summary>
    public IReadOnlyList<string> ValueNames { get; }

    /// <summary>
    /// trec_eval's default "official" set without the measures Disco does not implement (runid, gm_map,
    /// bpref, iprec_at_recall): num_q, num_ret, num_rel, num_rel_ret, map, Rprec, recip_rank, P.
    /// </summary>
    public static MeasureSet Official => Parse(["num_q", "num_ret", "num_rel", "num_rel_ret", "map", "Rprec", "recip_rank", "P"]);

    /// <summary>Parses one <c>-m</c> value.</summary>
    public static MeasureSet Parse(string spec) => Parse([spec]);

    /// <summary>Parses several <c>-m</c> values; a measure named twice gets the union of its cutoffs.</summary>
    public static MeasureSet Parse(IEnumerable<string> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var measures = new SortedDictionary<MeasureKind, SortedSet<int>>();
        foreach (var raw in specs)
        {
            var spec = raw.Trim();
            if (spec.Length == 0)
                throw new DiscoException("empty measure name");
            if (spec is "official")
            {
                foreach (var m in Official.Measures)
                    Add(measures, m.Kind, m.Cutoffs);
                continue;
            }
            var (name, parameters) = Split(spec);
            var entry = Table.FirstOrDefault(t => t.Name == name);
            if (entry.Name is null)
                throw new DiscoException($"unknown measure '{raw}' (known: {string.Join(", ", Table.Select(t => t.Name))}; aliases mrr_10, recall_100, ndcg_cut_3, ndcg@3, P@10)");
            if (entry.DefaultCutoffs.Length == 0)
            {
                // Deviation: trec_eval's ndcg gain overrides (ndcg.1=3.5,2=9) are not supported.
                if (parameters is not null)
                    throw new DiscoException($"measure '{name}' takes no parameters ('{raw}')");
                Add(measures, entry.Kind, []);
                continue;
            }
            var cutoffs = parameters is null ? entry.DefaultCutoffs : ParseCutoffs(raw, parameters);
            Add(measures, entry.Kind, cutoffs);
        }
        if (measures.Count == 0)
            throw new DiscoException("no measures given");
        return new MeasureSet(measures);
    }

    /// <summary>True when <paramref name="kind"/> was requested.</summary>
    public bool Contains(MeasureKind kind) => _measures.ContainsKey(kind);

    internal static string NameOf(MeasureKind kind) => Table.First(t => t.Kind == kind).Name;

    internal static bool TakesCutoffs(MeasureKind kind) => Table.First(t => t.Kind == kind).DefaultCutoffs.Length > 0;

    private static void Add(SortedDictionary<MeasureKind, SortedSet<int>> measures, MeasureKind kind, IEnumerable<int> cutoffs)
    {
        if (!measures.TryGetValue(kind, out var set))
            measures.Add(kind, set = []);
        set.UnionWith(cutoffs);
    }

    /// <summary>Splits <c>name.params</c>, <c>name@k</c> and the SPLADE spellings <c>name_k</c> into name and parameters.</summary>
    private static (string Name, string? Parameters) Split(string spec)
    {
        var dot = spec.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
            return (Canonical(spec[..dot]), spec[(dot + 1)..]);
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            // SPLADE's ndcg@3 is nDCG cut at 3 with the ideal over the top-3 grades, which is trec_eval's ndcg_cut.3.
            var stem = Canonical(spec[..at]);
            return (stem == "ndcg" ? "ndcg_cut" : stem, spec[(at + 1)..]);
        }
        var underscore = spec.LastIndexOf('_');
        if (underscore > 0 && underscore < spec.Length - 1 && spec[(underscore + 1)..].All(char.IsAsciiDigit))
        {
            var stem = Canonical(spec[..underscore]);
            if (Table.Any(t => t.Name == stem && t.DefaultCutoffs.Length > 0))
                return (stem, spec[(underscore + 1)..]);
        }
        return (Canonical(spec), null);
    }

    /// <summary>Common spellings from other tools mapped to trec_eval names; ndcg@k means ndcg_cut.k as in SPLADE.</summary>
    private static string Canonical(string name) => name switch
    {
        "ndcg" or "nDCG" => "ndcg",
        "R" or "Recall" => "recall",
        "precision" => "P",
        "MRR" or "RR" => "mrr",
        _ => name,
    };

    private static int[] ParseCutoffs(string raw, string parameters)
    {
        var parts = parameters.Split(',');
        var cutoffs = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out cutoffs[i]) || cutoffs[i] <= 0)
                throw new DiscoException($"measure '{raw}': cutoff '{parts[i]}' is not a positive integer");
        }
        return cutoffs;
    }
}
