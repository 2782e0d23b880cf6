using System.CommandLine;
using Disco.Cli.Commands;
using Disco.Index;
using Disco.TestSupport;

namespace Disco.Cli.Tests;

/// <summary>`disco index import|export|merge` end to end on the Disco.Interop fixtures (made by h5py and Python's pickle).</summary>
[Collection(nameof(ConsoleErrorWriters))]
public sealed class IndexInteropCommandTests
{
    private static string InteropFixture(params string[] parts) => Path.Combine([Fixtures.RepoRoot, "tests", "Disco.Interop.Tests", "Fixtures", .. parts]);

    private static int Run(params string[] args)
    {
        var root = new RootCommand();
        root.Options.Add(CliErrors.VerboseOption);
        root.Subcommands.Add(IndexCommand.Create());
        return CliErrors.Run(root, args);
    }

    [Fact]
    public void Splade_import_then_ciff_export_then_ciff_import_keeps_documents_and_rounded_postings()
    {
        using var temp = new TempDirectory();
        var vocab = InteropFixture("vocab.txt");
        Assert.Equal(0, Run("index", "import", "--from", "splade", InteropFixture("splade-str"), "--out", temp.File("imported"), "--vocab", vocab));
        Assert.Equal(0, Run("index", "export", "--to", "ciff", "--index", temp.File("imported"), "--out", temp.File("x.ciff"), "--scale", "10"));
        Assert.Equal(0, Run("index", "import", "--from", "ciff", temp.File("x.ciff"), "--out", temp.File("back")));
        using var a = SparseIndex.Open(temp.File("imported"));
        using var b = SparseIndex.Open(temp.File("back"));
        Assert.Equal(Enumerable.Range(0, a.DocumentCount).Select(a.DocumentId), Enumerable.Range(0, b.DocumentCount).Select(b.DocumentId));
        for (var t = 0; t < a.TermCount; t++)
        {
            var (docs, impacts) = a.ReadPostings(t);
            var kept = docs.Zip(impacts.Select(w => MathF.Round(w * 10f, MidpointRounding.ToEven))).Where(p => p.Second > 0).ToList();
            if (b.TermId(a.Term(t)) is not int u)
            {
                Assert.Empty(kept);
                continue;
            }
            var (bd, bi) = b.ReadPostings(u);
            Assert.Equal(kept, bd.Zip(bi));
        }
    }

    [Theory]
    [InlineData("splade-bad-range")]
    [InlineData("splade-bad-lengths")]
    public void Bad_splade_input_fails_with_exit_1_and_leaves_nothing(string folder)
    {
        using var temp = new TempDirectory();
        var output = temp.File("index");
        Assert.Equal(1, Run("index", "import", "--from", "splade", InteropFixture(folder), "--out", output, "--vocab", InteropFixture("vocab.txt")));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Splade_import_without_a_vocabulary_is_a_usage_error()
    {
        using var temp = new TempDirectory();
        Assert.Equal(2, Run("index", "import", "--from", "splade", InteropFixture("splade-int"), "--out", temp.File("index")));
    }

    [Fact]
    public void Merge_of_two_indexes_equals_indexing_both_vector_files_and_colliding_ids_fail()
    {
        using var temp = new TempDirectory();
        var lines = File.ReadAllLines(InteropFixture("vectors-int.jsonl"));
        File.WriteAllLines(temp.File("a.jsonl"), lines[..20]);
        File.WriteAllLines(temp.File("b.jsonl"), lines[20..]);
        Assert.Equal(0, Run("index", "--vectors", temp.File("a.jsonl"), "--out", temp.File("a")));
        Assert.Equal(0, Run("index", "--vectors", temp.File("b.jsonl"), "--out", temp.File("b")));
        Assert.Equal(0, Run("index", "--vectors", temp.File("a.jsonl"), temp.File("b.jsonl"), "--out", temp.File("both")));
        Assert.Equal(0, Run("index", "merge", temp.File("a"), temp.File("b"), "--out", temp.File("merged")));
        using (var both = SparseIndex.Open(temp.File("both")))
        using (var merged = SparseIndex.Open(temp.File("merged")))
        {
            foreach (var file in new[] { "postings.bin", "terms.bin", "docids.bin" })
                Assert.Equal(both.Metadata.Files[file], merged.Metadata.Files[file]);
        }
        Assert.Equal(1, Run("index", "merge", temp.File("a"), temp.File("both"), "--out", temp.File("clash")));
        Assert.False(Directory.Exists(temp.File("clash")));
    }
}
