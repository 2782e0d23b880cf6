using Disco.Core.Texts;

namespace Disco.Core.Tests;

public class CollectionShardTests
{
    [Fact]
    public void Shards_in_order_are_the_collection_in_order_and_differ_in_size_by_at_most_one()
    {
        foreach (var total in new long[] { 0, 1, 2, 7, 10, 100, 1001 })
        {
            foreach (var n in new[] { 1, 2, 3, 7, 16 })
            {
                var records = Enumerable.Range(0, (int)total).ToList();
                var parts = Enumerable.Range(1, n).Select(i => new CollectionShard(i, n).Select(records, total).ToList()).ToList();
                Assert.Equal(records, parts.SelectMany(p => p));
                Assert.True(parts.Max(p => p.Count) - parts.Min(p => p.Count) <= 1);
            }
        }
    }

    [Fact]
    public void Parse_reads_I_over_N_and_refuses_anything_else()
    {
        Assert.Equal(new CollectionShard(2, 8), CollectionShard.Parse("2/8"));
        Assert.Equal((250L, 375L), CollectionShard.Parse("3/8").Range(1000));
        foreach (var bad in new[] { "0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2/3" })
            Assert.Throws<DiscoException>(() => CollectionShard.Parse(bad));
    }
}
