using Disco.Core.Vectors;

namespace Disco.Index.Bench;

/// <summary>Streams rows of a CSR triple written by <see cref="SyntheticCollection"/>.</summary>
internal static class CsrFile
{
    public static IEnumerable<SparseVector> Read(string prefix)
    {
        using var indptr = new BinaryReader(new BufferedStream(File.OpenRead(prefix + ".indptr"), 1 << 20));
        using var terms = new BinaryReader(new BufferedStream(File.OpenRead(prefix + ".terms"), 1 << 20));
        using var weights = new BinaryReader(new BufferedStream(File.OpenRead(prefix + ".weights"), 1 << 20));
        // The stream's length, not FileInfo's: the inputs may be symbolic links.
        var rows = (indptr.BaseStream.Length / 8) - 1;
        var previous = indptr.ReadInt64();
        for (long i = 0; i < rows; i++)
        {
            var next = indptr.ReadInt64();
            var n = (int)(next - previous);
            previous = next;
            var ids = new int[n];
            var values = new float[n];
            for (var j = 0; j < n; j++)
            {
                ids[j] = terms.ReadInt32();
                values[j] = weights.ReadSingle();
            }
            yield return new SparseVector(ids, values);
        }
    }

    /// <summary>Vocabulary strings of the synthetic collection: "w0" ... "w30521".</summary>
    public static IReadOnlyList<string> VocabularyStrings { get; } = [.. Enumerable.Range(0, SyntheticCollection.Vocabulary).Select(i => $"w{i}")];
}
