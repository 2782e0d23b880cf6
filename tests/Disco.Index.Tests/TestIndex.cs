using Disco.Core.Vectors;

namespace Disco.Index.Tests;

/// <summary>Builds an index from documents in memory.</summary>
internal static class TestIndex
{
    public static string Build(string directory, IEnumerable<TermVector> documents, IndexBuildOptions? options = null)
    {
        using var builder = new IndexBuilder(directory, options);
        foreach (var d in documents)
            builder.Add(d);
        builder.Complete();
        return directory;
    }
}
