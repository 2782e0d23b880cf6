using PureHDF;

namespace Disco.Interop.Tests;

public class PureHdfGroupNamesTests
{
    private static string H5 => InteropFixtures.Path("splade-int", SpladeIndexImport.ArrayFile);

    [Fact]
    public void Finds_and_loads_the_name_heap_of_an_h5py_file()
    {
        // If this fails after a PureHDF upgrade, its internals changed: check whether listing an
        // old-style group is still quadratic (docs/benchmarks.md, SPLADE import) and drop or adapt the workaround.
        using var file = H5File.OpenRead(H5);
        Assert.True(PureHdfGroupNames.Preload(file));
    }

    [Fact]
    public void Listing_after_the_preload_gives_the_same_names()
    {
        using var plain = H5File.OpenRead(H5);
        var expected = plain.Children().Select(c => c.Name).ToList();
        using var preloaded = H5File.OpenRead(H5);
        PureHdfGroupNames.Preload(preloaded);
        Assert.Equal(expected, preloaded.Children().Select(c => c.Name).ToList());
        Assert.Contains("dim", expected);
        Assert.True(expected.Count > 10);
    }
}
