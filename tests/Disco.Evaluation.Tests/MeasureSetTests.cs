using Disco.Core;

namespace Disco.Evaluation.Tests;

public sealed class MeasureSetTests
{
    [Fact]
    public void CommaListsSortCutoffsAndKeepTrecEvalPrintOrder()
    {
        var set = MeasureSet.Parse(["success.1", "ndcg_cut.10,3", "map", "num_q"]);

        Assert.Equal(["num_q", "map", "ndcg_cut_3", "ndcg_cut_10", "success_1"], set.ValueNames);
    }

    [Fact]
    public void BareCutoffMeasuresUseTrecEvalDefaults()
    {
        Assert.Equal(
            ["P_5", "P_10", "P_15", "P_20", "P_30", "P_100", "P_200", "P_500", "P_1000"],
            MeasureSet.Parse("P").ValueNames);
        Assert.Equal(["success_1", "success_5", "success_10"], MeasureSet.Parse("success").ValueNames);
        Assert.Equal(9, MeasureSet.Parse("ndcg_cut").ValueNames.Count);
        Assert.Equal(9, MeasureSet.Parse("recall").ValueNames.Count);
    }

    [Theory]
    [InlineData("mrr_10", "mrr_10")]
    [InlineData("mrr@1000", "mrr_1000")]
    [InlineData("recall_100", "recall_100")]
    [InlineData("ndcg_cut_3", "ndcg_cut_3")]
    [InlineData("ndcg@3", "ndcg_cut_3")]
    [InlineData("P@10", "P_10")]
    [InlineData("judged.100", "judged_100")]
    [InlineData("ndcg", "ndcg")]
    [InlineData("num_rel_ret", "num_rel_ret")]
    public void SpladeAndAtAliasesMapToTrecEvalNames(string spec, string name) =>
        Assert.Equal([name], MeasureSet.Parse(spec).ValueNames);

    [Fact]
    public void RepeatedMeasuresMergeTheirCutoffs() =>
        Assert.Equal(["P_5", "P_10", "P_20"], MeasureSet.Parse(["P.10", "P.5,20", "P_10"]).ValueNames);

    [Fact]
    public void OfficialIsTrecEvalsDefaultSetWithoutUnimplementedMeasures() =>
        Assert.Equal(
            ["num_q", "num_ret", "num_rel", "num_rel_ret", "map", "Rprec", "recip_rank", "P_5", "P_10", "P_15", "P_20", "P_30", "P_100", "P_200", "P_500", "P_1000"],
            MeasureSet.Official.ValueNames);

    [Theory]
    [InlineData("bpref")]
    [InlineData("P.0")]
    [InlineData("P.x")]
    [InlineData("map.5")]
    [InlineData("")]
    public void BadMeasuresAreRejected(string spec) =>
        Assert.Throws<DiscoException>(() => MeasureSet.Parse(spec));
}
