using Disco.Core.Vectors;
using static TorchSharp.torch;

namespace Disco.Training;

/// <summary>
/// Representations of documents by the frozen document encoder. The encoder never changes and
/// runs in eval mode, so a document's vector is computed once and kept as its non-zero entries
/// (a few hundred of V); a step then only densifies what it needs. With caching off every step
/// re-encodes its documents, as the reference does.
/// </summary>
public sealed class DocumentRepresentationCache
{
    private readonly RepresentationEncoder _encoder;
    private readonly Func<string, string> _text;
    private readonly bool _enabled;
    private readonly Dictionary<string, SparseVector> _cache = new(StringComparer.Ordinal);

    public DocumentRepresentationCache(RepresentationEncoder encoder, Func<string, string> text, bool enabled)
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _text = text ?? throw new ArgumentNullException(nameof(text));
        _enabled = enabled;
    }

    /// <summary>Documents encoded so far (with caching off, every request counts).</summary>
    public long DocumentsEncoded { get; private set; }

    /// <summary>Dense representations [ids.Count, V] on the encoder's device, without gradient.</summary>
    public Tensor Dense(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        using var noGrad = no_grad();
        if (!_enabled)
        {
            DocumentsEncoded += ids.Count;
            return _encoder.Represent(ids.Select(_text).ToArray());
        }
        var missing = ids.Where(id => !_cache.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        // One document per forward pass: a batched pass pads to the batch's longest text, which
        // changes the float result in the last bits, so the cached vector would depend on which
        // documents happened to be encoded together and a resumed run could not match an
        // uninterrupted one exactly. Each document is encoded once, so the cost is small.
        foreach (var id in missing)
            Add([id]);
        return Assemble(ids);
    }

    /// <summary>The sparse representation of one document (encoding it if needed).</summary>
    public SparseVector Sparse(string id)
    {
        if (!_cache.TryGetValue(id, out var entry))
        {
            Add([id]);
            entry = _cache[id];
            if (!_enabled)
                _cache.Remove(id);
        }
        return entry;
    }

    private void Add(string[] ids)
    {
        var vectors = _encoder.Sparse([.. ids.Select(_text)]);
        DocumentsEncoded += ids.Length;
        for (var row = 0; row < ids.Length; row++)
            _cache[ids[row]] = vectors[row];
    }

    private Tensor Assemble(IReadOnlyList<string> ids)
    {
        var vocab = _encoder.VocabularySize;
        var positions = new List<long>();
        var values = new List<float>();
        for (var row = 0; row < ids.Count; row++)
        {
            var vector = _cache[ids[row]];
            foreach (var j in vector.Indices)
                positions.Add((row * vocab) + j);
            values.AddRange(vector.Values);
        }
        using var scope = NewDisposeScope();
        var flat = zeros(ids.Count * vocab);
        flat.index_copy_(0, tensor(positions.ToArray()), tensor(values.ToArray()));
        return flat.view(ids.Count, vocab).to(_encoder.Device).MoveToOuterDisposeScope();
    }
}
