using System.Globalization;
using Disco.Core;

namespace Disco.Index;

/// <summary>
/// Merges indexes built separately (for example one per shard of a collection) into one: the
/// documents of the inputs follow each other in input order, a term's postings are concatenated
/// in the same order, and terms keep the order of first appearance. Merging indexes built from
/// consecutive parts of a collection therefore gives the index one build over the whole
/// collection gives (float32 impacts; quantized inputs with one common scale keep their codes,
/// inputs with different scales are merged as float32 holding their decoded impacts). A document
/// id present in two inputs is refused, naming the id and both indexes.
/// </summary>
public static class IndexMerge
{
    public static IndexMetadata Merge(IReadOnlyList<string> inputs, string outputDirectory, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            throw new DiscoException("nothing to merge: give at least one index");
        var output = Path.GetFullPath(outputDirectory.TrimEnd('/', '\\'));
        foreach (var input in inputs)
        {
            if (Path.GetFullPath(input.TrimEnd('/', '\\')) == output)
                throw new DiscoException($"{input}: is also the output; merge into a new directory");
        }
        var indexes = new List<SparseIndex>(inputs.Count);
        try
        {
            foreach (var input in inputs)
                indexes.Add(SparseIndex.Open(input));
            return Merge(inputs, indexes, outputDirectory, progress);
        }
        finally
        {
            foreach (var index in indexes)
                index.Dispose();
        }
    }

    private static IndexMetadata Merge(IReadOnlyList<string> inputs, List<SparseIndex> indexes, string outputDirectory, IProgress<long>? progress)
    {
        var first = indexes[0];
        var sameQuantization = indexes.All(i => i.Encoding == first.Encoding && i.Scale == first.Scale);
        var options = new InvertedIndexOptions(
            sameQuantization ? first.Encoding : ImpactEncoding.Float32,
            sameQuantization && first.Encoding != ImpactEncoding.Float32 ? first.Scale : null,
            indexes.All(i => i.RangeBits == first.RangeBits) ? first.RangeBits : IndexBuildOptions.DefaultRangeBits);
        using var writer = new InvertedIndexWriter(outputDirectory, options);
        writer.BuildInfo["source"] = "merge";
        writer.BuildInfo["inputs"] = string.Join(";", inputs.Select(Path.GetFullPath));
        writer.ReserveDocuments(indexes.Sum(i => (long)i.DocumentCount));
        var bases = new int[indexes.Count];
        for (var k = 0; k < indexes.Count; k++)
        {
            var name = inputs[k];
            bases[k] = writer.DocumentCount;
            writer.BeginSource(name, i => $"{name} document {(i + 1).ToString(CultureInfo.InvariantCulture)}");
            var index = indexes[k];
            for (var d = 0; d < index.DocumentCount; d++)
                writer.AddDocument(index.DocumentId(d));
        }

        // Terms in order of first appearance over the inputs, as one build over the inputs' documents assigns them.
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in indexes)
        {
            for (var t = 0; t < index.TermCount; t++)
            {
                if (seen.Add(index.Term(t)))
                    order.Add(index.Term(t));
            }
        }
        var docs = new List<int>();
        var weights = new List<float>();
        foreach (var term in order)
        {
            docs.Clear();
            weights.Clear();
            for (var k = 0; k < indexes.Count; k++)
            {
                if (indexes[k].TermId(term) is not int t)
                    continue;
                var (d, w) = indexes[k].ReadPostings(t);
                foreach (var doc in d)
                    docs.Add(doc + bases[k]);
                weights.AddRange(w);
            }
            writer.AddTerm(term, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(docs), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(weights));
            progress?.Report(docs.Count);
        }
        return writer.Complete();
    }
}
